import { Box, render, Text, useApp } from 'ink';
import os from 'node:os';
import { useCallback, useState } from 'react';
import { Shell } from './components/Shell.js';
import { globalKeys } from './hooks/keymap.js';
import type { InstanceServices } from './hooks/useInstance.js';
import { useKeymap } from './hooks/useKeymap.js';
import { useTerminalSize, type TerminalSize } from './hooks/useTerminalSize.js';
import { InstancePicker } from './screens/InstancePicker.js';
import { screens as registeredScreens, type ScreenDef } from './screens/registry.js';
import type { LocatedInstance } from './tasks/instance/locate.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

/** Alternate screen on (and cleared); on leaving: cursor shown, alternate screen off. */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[2J\x1b[H';
export const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';

export interface AppProps {
  located: readonly LocatedInstance[];
  services: InstanceServices;
  screens?: readonly ScreenDef[];
  /** The terminal's size; measured (and followed on resize) unless given, as tests do. */
  size?: TerminalSize;
  /** Quitting; by default ends the ink app, which ends `runWizard`. */
  onQuit?: () => void;
  liveIntervalMs?: number;
  /** A screen to open over Home at start. */
  initialScreen?: string;
}

const quitOnly = globalKeys.filter((binding) => binding.action === 'quit');

function TooSmall({ size, onQuit }: { size: TerminalSize; onQuit: () => void }) {
  useKeymap(quitOnly, onQuit);
  return (
    <Box flexDirection="column">
      <Text bold>Terminal too small: {size.columns}×{size.rows}</Text>
      <Text>
        catmaid-tui needs at least {MIN_COLUMNS}×{MIN_ROWS}. Enlarge the window, or press q to quit.
      </Text>
    </Box>
  );
}

/** The wizard: picker (if several instances), then the shell; a message instead when the terminal is small. */
export function App({ located, services, screens = registeredScreens, size, onQuit, liveIntervalMs, initialScreen }: AppProps) {
  const measured = useTerminalSize();
  const { columns, rows } = size ?? measured;
  const { exit } = useApp();
  const quit = useCallback(() => (onQuit ? onQuit() : exit()), [onQuit, exit]);
  const [chosen, setChosen] = useState<LocatedInstance | undefined>(located.length === 1 ? located[0] : undefined);
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  // ink 6 redraws the whole screen, flickering, when the output is as high as the terminal.
  const height = rows - 1;

  return (
    <Box flexDirection="column" width={columns} height={height}>
      {tooSmall && <TooSmall size={{ columns, rows }} onQuit={quit} />}
      <Box display={tooSmall ? 'none' : 'flex'} width={columns} height={height}>
        {chosen ? (
          <Shell
            located={chosen}
            services={services}
            screens={screens}
            width={columns}
            height={height}
            quit={quit}
            active={!tooSmall}
            liveIntervalMs={liveIntervalMs}
            initialScreen={initialScreen}
          />
        ) : (
          !tooSmall && (
            <InstancePicker instances={located} onPick={setChosen} onQuit={quit} width={columns} height={height} />
          )
        )}
      </Box>
    </Box>
  );
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];

/**
 * The one owner of the terminal's lifecycle: enter the alternate screen, draw, and restore the terminal on
 * every way out (q, Ctrl+C, a signal, a crash). A crash is rethrown after the restore, so the CLI prints it
 * on the normal screen and exits 1; a signal exits 128+n here, since nothing else would.
 */
export async function runWizard(options: {
  located: readonly LocatedInstance[];
  services: InstanceServices;
  screens?: readonly ScreenDef[];
  initialScreen?: string;
}): Promise<void> {
  const stdout = process.stdout;
  let restored = false;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    stdout.write(LEAVE_SCREEN);
  };
  stdout.write(ENTER_SCREEN);
  let crash: (err: unknown) => void = () => undefined;
  const crashed = new Promise<never>((_resolve, reject) => {
    crash = reject;
  });
  const app = render(<App located={options.located} services={options.services} screens={options.screens} initialScreen={options.initialScreen} />, {
    exitOnCtrlC: true,
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    app.unmount();
    restore();
    process.stderr.write(`catmaid-tui: stopped by ${signal}\n`);
    process.exit(128 + (os.constants.signals[signal] ?? 0));
  };
  const onCrash = (err: unknown): void => crash(err);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', restore);
  try {
    await Promise.race([app.waitUntilExit(), crashed]);
  } finally {
    app.unmount();
    restore();
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', restore);
  }
}
