import { Box, Text, useInput } from 'ink';
import { Suspense, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { globalKeys, keyPresses, type KeyBinding, type KeyPress } from '../hooks/keymap.js';
import { ShellContext, type DatabaseReport, type KeyRoute, type RouteLayer, type RouteShown, type ShellControl } from '../hooks/shell-context.js';
import {
  currentScreen,
  HOME_ID,
  initialShell,
  shellDecision,
  shellReducer,
  type ShellDecision,
  type ShellEvent,
} from '../hooks/shell-state.js';
import { useCurrentReducer } from '../hooks/useCurrentReducer.js';
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
  const [shell, dispatchShell, currentShell] = useCurrentReducer(shellReducer, initialScreen, initialShell);
  // The routed screen, the question over it, and keys waiting for a question its screen has just asked.
  const routes = useRef<{ screen?: KeyRoute; question?: KeyRoute; waiting: KeyPress[]; stale: boolean }>({ waiting: [], stale: false });
  const dispatch = useCallback((event: ShellEvent) => {
    const before = currentShell();
    dispatchShell(event);
    if (event.type === 'hold' || currentShell() === before) return;
    // Another screen or the help has the keys until the render that shows it has routed them again.
    routes.current.stale = true;
    routes.current.waiting = [];
  }, [dispatchShell, currentShell]);
  useLayoutEffect(() => {
    // After the screens' own layout effects: the routes are those of what is shown now.
    routes.current.stale = false;
  });

  /** One key for the shell, else for the route; false once it quit. */
  const shellKey = useCallback((press: KeyPress, route: KeyRoute | undefined): boolean => {
    const decision = shellDecision(currentShell(), press.name, route?.hold());
    if (decision === 'quit') {
      quit();
      return false;
    }
    if (decision) dispatch(SHELL_EVENT[decision]);
    else route?.take(press);
    return true;
  }, [quit, dispatch, currentShell]);

  /** One key, decided in the shell's and the routed screen's newest state; false once it quit. */
  const routeKey = useCallback((press: KeyPress): boolean => {
    const { screen, question, waiting, stale } = routes.current;
    if (stale) return shellKey(press, undefined);
    if (!question && screen?.waiting?.()) {
      waiting.push(press);
      return true;
    }
    return shellKey(press, question ?? screen);
  }, [shellKey]);

  // The live check (a new connection and a /proc scan) runs every few seconds on Home; under another screen only
  // once a minute, so that it does not show up in the Monitor's counts or cost CPU there.
  const onHome = currentScreen(shell) === HOME_ID;
  const { state: instance, reload, refresh } = useInstance(located, services, onHome ? liveIntervalMs : Math.max(liveIntervalMs ?? 5000, 60_000));
  const [published, setPublished] = useState<KeyBinding[] | undefined>(undefined);
  const [database, setDatabase] = useState<DatabaseReport | undefined>(undefined);
  const [shown, setShown] = useState<Partial<Record<RouteLayer, RouteShown>>>({});
  const control = useMemo<ShellControl>(
    () => ({
      open: (id) => dispatch({ type: 'open', id }),
      back: () => dispatch({ type: 'back' }),
      quit,
      hold: (kind, on) => dispatch({ type: 'hold', kind, on }),
      publishKeys: setPublished,
      changed: refresh,
      reportDatabase: setDatabase,
      shown: (layer, now) =>
        setShown((before) => {
          const was = before[layer];
          return was?.hold === now?.hold && was?.keys === now?.keys ? before : { ...before, [layer]: now };
        }),
      route: (route, layer) => {
        routes.current[layer] = route;
        // Keys typed right after the screen asked (one chunk, before the question was drawn) are the question's.
        if (layer === 'question') for (const press of routes.current.waiting.splice(0)) if (!routeKey(press)) break;
        return () => {
          if (routes.current[layer] !== route) return;
          routes.current[layer] = undefined;
          if (layer === 'screen') routes.current.waiting = [];
        };
      },
    }),
    [quit, refresh, dispatch, routeKey],
  );

  const ready = instance.status === 'ready';
  const notices = useNotices(services, ready ? instance.info : undefined, ready ? instance.loadedAt : undefined, onHome && active && !shell.help);
  const topId = currentScreen(shell);
  const top = screens.find((def) => def.id === topId);
  const screenKeys = topId === HOME_ID ? homeKeys : (published ?? top?.keys ?? []);
  // What the screen, or the question over it, holds as drawn: while busy q and Esc are its own, while typing every key.
  const drawn = shown.question ?? shown.screen;
  const busy = shell.busy > 0 || drawn?.hold === 'busy';
  const typing = drawn?.hold === 'typing';
  const shownGlobal = globalKeys.filter(
    (binding) =>
      !(binding.action === 'back' && shell.stack.length <= 1) &&
      !(busy && binding.action !== 'help' && shell.stack.length > 1),
  );

  useInput(
    (input, key) => {
      for (const press of keyPresses(input, key)) {
        if (ready) {
          if (!routeKey(press)) return;
        } else if (press.name === 'q') return quit();
        else if (press.name === 'r') reload();
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
          keys={typing ? (drawn?.keys ?? screenKeys) : [...screenKeys, ...shownGlobal]}
          width={width}
          note={busy ? 'busy' : undefined}
        />
      </Box>
    </ShellContext.Provider>
  );
}
