import { Box, Text, useInput } from 'ink';
import { Suspense, useCallback, useMemo, useReducer, useRef, useState } from 'react';
import { globalKeys, keyPresses, type KeyBinding } from '../hooks/keymap.js';
import { ShellContext, type DatabaseReport, type KeyRoute, type ShellControl } from '../hooks/shell-context.js';
import {
  currentScreen,
  HOME_ID,
  initialShell,
  shellDecision,
  shellReducer,
  type ShellDecision,
  type ShellEvent,
} from '../hooks/shell-state.js';
import { useInstance, type InstanceServices } from '../hooks/useInstance.js';
import { useNotices } from '../hooks/useNotices.js';
import { Home, homeKeys } from '../screens/Home.js';
import type { ScreenDef } from '../screens/registry.js';
import type { LocatedInstance } from '../tasks/instance/locate.js';
import { Badge } from './Badge.js';
import { HelpOverlay } from './HelpOverlay.js';
import { Spinner } from './Spinner.js';
import { StatusBar } from './StatusBar.js';
import { TitleBar } from './TitleBar.js';

export interface ShellProps {
  located: LocatedInstance;
  services: InstanceServices;
  screens: readonly ScreenDef[];
  width: number;
  height: number;
  quit: () => void;
  /** False while the terminal is too small: the shell stays mounted (tasks keep running) but hears no keys. */
  active: boolean;
  liveIntervalMs?: number;
  /** A screen to open over Home at start. */
  initialScreen?: string;
}

const waitingKeys: KeyBinding<'retry' | 'quit'>[] = [
  { action: 'retry', keys: ['r'], label: 'r', help: 'read the instance again', hint: 'r retry' },
  { action: 'quit', keys: ['q'], label: 'q', help: 'quit', hint: 'q quit' },
];

const SHELL_EVENT: Record<Exclude<ShellDecision, 'quit'>, ShellEvent> = {
  back: { type: 'back' },
  'toggle-help': { type: 'toggle-help' },
  'close-help': { type: 'close-help' },
};

/** Title bar, the stack of screens, status bar and help: everything around a screen's body. */
export function Shell({ located, services, screens, width, height, quit, active, liveIntervalMs, initialScreen }: ShellProps) {
  const [shell, dispatchShell] = useReducer(shellReducer, initialScreen, initialShell);
  const routed = useRef<KeyRoute | undefined>(undefined);
  const dispatch = useCallback((event: ShellEvent) => {
    // Another screen or the help takes the keys from here on; a screen routes again once it is shown (its effect).
    if (event.type !== 'hold') routed.current = undefined;
    dispatchShell(event);
  }, []);
  // The live check (a new connection and a /proc scan) runs every few seconds on Home; under another screen only
  // once a minute, so that it does not show up in the Monitor's counts or cost CPU there.
  const onHome = currentScreen(shell) === HOME_ID;
  const { state: instance, reload, refresh } = useInstance(located, services, onHome ? liveIntervalMs : Math.max(liveIntervalMs ?? 5000, 60_000));
  const [published, setPublished] = useState<KeyBinding[] | undefined>(undefined);
  const [database, setDatabase] = useState<DatabaseReport | undefined>(undefined);
  const control = useMemo<ShellControl>(
    () => ({
      open: (id) => dispatch({ type: 'open', id }),
      back: () => dispatch({ type: 'back' }),
      quit,
      hold: (kind, on) => dispatch({ type: 'hold', kind, on }),
      publishKeys: setPublished,
      changed: refresh,
      reportDatabase: setDatabase,
      route: (route) => {
        routed.current = route;
        return () => {
          if (routed.current === route) routed.current = undefined;
        };
      },
    }),
    [quit, refresh, dispatch],
  );

  const ready = instance.status === 'ready';
  const notices = useNotices(services, ready ? instance.info : undefined, ready ? instance.loadedAt : undefined, onHome && active && !shell.help);
  const topId = currentScreen(shell);
  const top = screens.find((def) => def.id === topId);
  const screenKeys = topId === HOME_ID ? homeKeys : (published ?? top?.keys ?? []);
  const shownGlobal = globalKeys.filter(
    (binding) =>
      !(binding.action === 'back' && shell.stack.length <= 1) &&
      !(shell.busy > 0 && binding.action !== 'help' && shell.stack.length > 1),
  );

  useInput(
    (input, key) => {
      let state = shell;
      for (const press of keyPresses(input, key)) {
        const { name } = press;
        if (!ready) {
          if (name === 'q') quit();
          else if (name === 'r') reload();
          continue;
        }
        // A routed screen says key by key whether a field is being typed into (a hold would come a render late).
        const route = routed.current;
        if (route?.typing()) {
          route.take(press);
          continue;
        }
        const decision = shellDecision(state, name);
        if (decision === 'quit') return quit();
        const event = decision === undefined ? undefined : SHELL_EVENT[decision];
        if (event) {
          // Later keys of the same chunk are decided in the state this one leads to.
          state = shellReducer(state, event);
          dispatch(event);
        } else route?.take(press);
      }
    },
    { isActive: active },
  );

  if (!ready) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold>catmaid-tui · {located.root}</Text>
        <Box flexGrow={1} flexDirection="column" paddingX={1} paddingY={1}>
          {instance.status === 'loading' ? (
            <Spinner label={`reading the instance (git, settings, database) at ${located.root}`} />
          ) : (
            <>
              <Badge kind="fail">{`could not read the instance: ${instance.error}`}</Badge>
              <Text dimColor>r reads it again; q quits. `catmaid-tui info` shows the same from the shell.</Text>
            </>
          )}
        </Box>
        <StatusBar crumbs={['Home']} keys={waitingKeys} width={width} />
      </Box>
    );
  }

  const bodyHeight = Math.max(1, height - 2);
  const crumbs = shell.stack.map((id) => (id === HOME_ID ? 'Home' : (screens.find((d) => d.id === id)?.title ?? id)));
  return (
    <ShellContext.Provider value={control}>
      <Box flexDirection="column" width={width} height={height}>
        <TitleBar info={instance.info} width={width} database={database} />
        {shell.help && (
          <HelpOverlay
            screenTitle={crumbs[crumbs.length - 1]}
            screenKeys={screenKeys}
            globalKeys={globalKeys}
            width={width}
            height={bodyHeight}
          />
        )}
        {shell.stack.map((id, depth) => {
          const visible = depth === shell.stack.length - 1 && !shell.help;
          const props = { info: instance.info, active: active && visible, width, height: bodyHeight };
          const def = screens.find((d) => d.id === id);
          return (
            <Box key={`${depth}:${id}`} display={visible ? 'flex' : 'none'} height={bodyHeight} width={width}>
              {id === HOME_ID ? (
                <Home
                  {...props}
                  menu={screens}
                  notices={notices}
                  checkedAt={instance.checkedAt}
                  liveError={instance.liveError}
                  liveIntervalMs={liveIntervalMs}
                />
              ) : def ? (
                <Suspense fallback={<Spinner label={`opening ${def.title}`} />}>
                  <def.component {...props} />
                </Suspense>
              ) : (
                <Badge kind="fail">{`no screen "${id}" in src/screens/registry.ts`}</Badge>
              )}
            </Box>
          );
        })}
        <StatusBar
          crumbs={crumbs}
          keys={[...screenKeys, ...shownGlobal]}
          width={width}
          note={shell.busy > 0 ? 'busy' : undefined}
        />
      </Box>
    </ShellContext.Provider>
  );
}
