import path from 'node:path';
import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { actionFor, type KeyPress } from '../hooks/keymap.js';
import { useChangedAfter, useScreenKeys } from '../hooks/shell-context.js';
import type { HoldKind } from '../hooks/shell-state.js';
import { completePath, expandPath, nameProblem, useExtensions, type ChangeOutcome, type ExtensionServices } from '../hooks/useExtensions.js';
import { useCurrentReducer } from '../hooks/useCurrentReducer.js';
import { useKeyRoute } from '../hooks/useKeyRoute.js';
import { hintKeys, inputKeys, listKeys, type ExtensionsAction } from './extensions/keys.js';
import { ListView } from './extensions/ListView.js';
import { NginxHintView } from './extensions/NginxHintView.js';
import { clampSelection, initialView, viewReducer, type Mode } from './extensions/view-state.js';
import type { ScreenProps } from './registry.js';

export interface ExtensionsProps extends ScreenProps {
  services?: ExtensionServices;
}

function describe({ change, result }: ChangeOutcome): string {
  if (change.kind === 'add') {
    const settings = result.settingsChanged ? 'added to STATIC_EXTENSION_FILES' : 'was listed already, settings.py not changed';
    const done = `${result.name} ${settings}; ${result.fileChanged ? 'copied into the folder' : 'the file in the folder is the same'}`;
    return result.warnings.length > 0 ? `${result.warnings.join(' · ')} (added anyway)` : done;
  }
  const settings = result.settingsChanged ? 'taken out of STATIC_EXTENSION_FILES' : 'settings.py not changed';
  return `${result.name} ${settings}${change.deleteFile ? (result.fileChanged ? '; deleted the file from the folder' : '; there was no file to delete') : '; the file is kept'}`;
}

/** The path field keeps every key; a question and the nginx hint keep q and Esc. */
function holdOf(mode: Mode): HoldKind | undefined {
  return mode.kind === 'add' ? 'typing' : mode.kind === 'list' ? undefined : 'busy';
}

/** Custom front-end code: STATIC_EXTENSION_FILES, the folder behind it, and the nginx location that serves it. */
export function Extensions({ info, active, width, height, services }: ExtensionsProps) {
  const ext = useExtensions(info, services);
  useChangedAfter(ext.changing);
  const [view, dispatch, current] = useCurrentReducer(viewReducer, initialView, (start) => start);
  const { mode } = view;
  const listing = ext.listing.result;
  const files = listing?.files ?? [];
  const selected = clampSelection(view.selected, files.length);
  const target = files[selected];
  const running = ext.changing.status === 'running';
  const settings = ext.info.settings.settings;

  useEffect(() => {
    if (ext.changing.status === 'done' && ext.changing.result) {
      const tone = ext.changing.result.result.warnings.length > 0 ? 'warn' : 'ok';
      dispatch({ type: 'close', message: { tone, text: describe(ext.changing.result) } });
    } else if (ext.changing.status === 'failed') {
      dispatch({ type: 'close', message: { tone: 'fail', text: `${ext.changing.error}; nothing was changed` } });
    }
  }, [ext.changing.status, ext.changing.result, ext.changing.error]);

  const keys = useMemo(
    () => (mode.kind === 'add' ? inputKeys : mode.kind === 'nginx' ? hintKeys : mode.kind === 'list' && !running ? listKeys(target !== undefined) : []),
    [mode.kind, running, target],
  );
  useScreenKeys(keys);

  const onAction = useCallback(
    (action: ExtensionsAction) => {
      // The selection as the newest state has it: x may come right after j in one chunk.
      const chosen = files[clampSelection(current().selected, files.length)];
      if (action === 'up' || action === 'down') dispatch({ type: 'move', by: action === 'up' ? -1 : 1, count: files.length });
      else if (action === 'add') dispatch({ type: 'add' });
      else if ((action === 'remove' || action === 'delete') && chosen) dispatch({ type: 'ask-remove', name: chosen.name, deleteFile: action === 'delete' });
      else if (action === 'refresh') {
        void ext.reload().then((problem) => dispatch({ type: 'message', message: problem ? { tone: 'fail', text: problem } : undefined }));
      } else if (action === 'nginx') {
        if (!settings.staticExtensionUrl || !settings.staticExtensionRoot) {
          dispatch({ type: 'message', message: { tone: 'fail', text: 'STATIC_EXTENSION_URL and STATIC_EXTENSION_ROOT must both be set in settings.py' } });
        } else {
          dispatch({ type: 'nginx' });
          ext.hint.start(settings.staticExtensionUrl, settings.staticExtensionRoot);
        }
      }
    },
    [files, current, dispatch, ext, settings],
  );

  const pathKey = (press: KeyPress, input: string): void => {
    const action = actionFor(inputKeys, press.name);
    if (action === 'complete') void completePath(input).then((completion) => dispatch({ type: 'completed', completion }));
    else if (action === 'erase') dispatch({ type: 'erase' });
    else if (action === 'cancel') dispatch({ type: 'close' });
    else if (action === 'submit') {
      const file = input.trim();
      const problem = file ? nameProblem(path.basename(file)) : 'type the path of a .js or .css file (Tab completes)';
      if (problem) dispatch({ type: 'message', message: { tone: 'fail', text: `${problem}; nothing was changed` } });
      else dispatch({ type: 'ask-add', file: expandPath(file), name: path.basename(file) });
    } else if (press.text) dispatch({ type: 'type', text: press.text });
  };

  // Each key by the mode the key before it left: a path typed right after a is the field's, not the list's.
  useKeyRoute(
    {
      hold: () => holdOf(current().mode),
      waiting: () => current().mode.kind.startsWith('confirm'),
      take: (press) => {
        const now = current().mode;
        if (now.kind === 'add') pathKey(press, now.input);
        else if (now.kind === 'nginx') {
          if (actionFor(hintKeys, press.name)) dispatch({ type: 'close' });
        } else if (now.kind === 'list' && !running) {
          const action = actionFor(listKeys(files.length > 0), press.name);
          if (action !== undefined) onAction(action);
        }
      },
    },
    active,
  );

  const footer = mode.kind === 'add' || mode.kind.startsWith('confirm') ? 4 : 3;
  const backup = ext.changing.status === 'done' ? ext.changing.result?.result.backup : undefined;
  const bodyHeight = Math.max(4, height - footer);
  const inner = width - 2;
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Box height={bodyHeight} flexDirection="column">
        {mode.kind === 'nginx' ? (
          <NginxHintView state={ext.hint.state} width={inner} />
        ) : listing ? (
          <ListView listing={listing} selected={selected} width={inner} height={bodyHeight} />
        ) : ext.listing.status === 'failed' ? (
          <Badge kind="fail">{`could not list the extensions: ${ext.listing.error}`}</Badge>
        ) : (
          <Spinner label="reading settings.py (with Django) and the extension folder …" />
        )}
      </Box>
      <Box flexDirection="column" height={footer}>
        {mode.kind === 'add' && (
          <>
            <Text>
              File to add: {truncate(mode.input, inner - 15, 'start')}
              <Text inverse> </Text>
            </Text>
            <Text dimColor wrap="truncate">
              {mode.candidates.length > 0 ? mode.candidates.join('  ') : 'Tab completes folders and .js/.css files · ⏎ adds · Esc cancels'}
            </Text>
          </>
        )}
        {mode.kind === 'confirm-add' && (
          <Confirm
            message={`Copy ${mode.name} into the extension folder and add it to STATIC_EXTENSION_FILES?`}
            onCancel={() => dispatch({ type: 'close', message: { tone: 'info', text: 'nothing was added' } })}
            onConfirm={() => {
              dispatch({ type: 'close' });
              ext.change({ kind: 'add', file: mode.file, name: mode.name });
            }}
            isActive={active && !running}
          />
        )}
        {mode.kind === 'confirm-remove' && (
          <Confirm
            message={mode.deleteFile ? `Take ${mode.name} out of STATIC_EXTENSION_FILES and DELETE the file from ${settings.staticExtensionRoot}?` : `Take ${mode.name} out of STATIC_EXTENSION_FILES (the file stays in the folder)?`}
            dangerous={mode.deleteFile ? { word: mode.name } : undefined}
            onCancel={() => dispatch({ type: 'close', message: { tone: 'info', text: 'nothing was removed' } })}
            onConfirm={() => {
              dispatch({ type: 'close' });
              ext.change({ kind: 'remove', name: mode.name, deleteFile: mode.deleteFile });
            }}
            isActive={active && !running}
          />
        )}
        {running && <Spinner label="changing settings.py, then importing the settings to check the list …" startedAt={ext.changing.startedAt} />}
        {!running && !view.message && ext.readError && <Badge kind="warn">{truncate(ext.readError, inner - 2)}</Badge>}
        {!running && view.message && <Badge kind={view.message.tone}>{truncate(view.message.text, inner - 2)}</Badge>}
        {backup && mode.kind === 'list' && <Text dimColor>{`backup: ${truncate(backup, inner - 8, 'start')}`}</Text>}
        {ext.changing.logFile && !mode.kind.startsWith('confirm') && <Text dimColor>{`log: ${truncate(ext.changing.logFile, inner - 5, 'start')}`}</Text>}
      </Box>
    </Box>
  );
}

