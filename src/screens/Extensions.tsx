import path from 'node:path';
import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useReducer } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { actionFor, keyName } from '../hooks/keymap.js';
import { useChangedAfter, useHold, useScreenKeys } from '../hooks/shell-context.js';
import { completePath, expandPath, nameProblem, useExtensions, type ChangeOutcome, type ExtensionServices } from '../hooks/useExtensions.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { hintKeys, inputKeys, listKeys, type ExtensionsAction } from './extensions/keys.js';
import { ListView } from './extensions/ListView.js';
import { NginxHintView } from './extensions/NginxHintView.js';
import { clampSelection, initialView, viewReducer } from './extensions/view-state.js';
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

/** Custom front-end code: STATIC_EXTENSION_FILES, the folder behind it, and the nginx location that serves it. */
export function Extensions({ info, active, width, height, services }: ExtensionsProps) {
  const ext = useExtensions(info, services);
  useChangedAfter(ext.changing);
  const [view, dispatch] = useReducer(viewReducer, initialView);
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
  useHold('typing', active && mode.kind === 'add');
  useHold('busy', active && (mode.kind === 'confirm-add' || mode.kind === 'confirm-remove' || mode.kind === 'nginx'));

  const onAction = useCallback(
    (action: ExtensionsAction) => {
      if (action === 'up' || action === 'down') dispatch({ type: 'move', by: action === 'up' ? -1 : 1, count: files.length });
      else if (action === 'add') dispatch({ type: 'add' });
      else if ((action === 'remove' || action === 'delete') && target) dispatch({ type: 'ask-remove', name: target.name, deleteFile: action === 'delete' });
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
    [files.length, target, ext, settings],
  );
  useKeymap(listKeys(target !== undefined), onAction, { isActive: active && mode.kind === 'list' && !running });

  useInput(
    (input, key) => {
      const name = keyName(input, key);
      if (mode.kind === 'nginx') {
        if (actionFor(hintKeys, name)) dispatch({ type: 'close' });
        return;
      }
      if (mode.kind !== 'add') return;
      const complete = (text: string): void => {
        void completePath(text).then((completion) => dispatch({ type: 'completed', completion }));
      };
      const submit = (text: string): void => {
        const file = text.trim();
        const problem = file ? nameProblem(path.basename(file)) : 'type the path of a .js or .css file (Tab completes)';
        if (problem) dispatch({ type: 'message', message: { tone: 'fail', text: `${problem}; nothing was changed` } });
        else dispatch({ type: 'ask-add', file: expandPath(file), name: path.basename(file) });
      };
      // Typed fast (or pasted), text and a Tab or Enter can arrive as one chunk: split it, keep the order.
      const chunk = /^[^\t\r]+[\t\r]$/.test(input) ? input : undefined;
      if (chunk) {
        const text = mode.input + chunk.slice(0, -1).replace(/\p{C}/gu, '');
        dispatch({ type: 'type', text: chunk.slice(0, -1) });
        if (chunk.endsWith('\t')) complete(text);
        else submit(text);
        return;
      }
      const action = actionFor(inputKeys, name);
      if (action === 'complete') complete(mode.input);
      else if (action === 'erase') dispatch({ type: 'erase' });
      else if (action === 'cancel') dispatch({ type: 'close' });
      else if (action === 'submit') submit(mode.input);
      else if (input && !key.ctrl && !key.meta) dispatch({ type: 'type', text: input });
    },
    { isActive: active && (mode.kind === 'add' || mode.kind === 'nginx') },
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

