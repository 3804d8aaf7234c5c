import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import { App } from '../../src/app.js';
import type { ScreenDef } from '../../src/screens/registry.js';
import type { InstanceInfo } from '../../src/tasks/instance/types.js';
import { fakeInfo, fakeServices, located } from './helpers.js';

/**
 * For tests of keys written without a render between them (tmux send-keys, a paste, an admin typing fast over
 * SSH): every key at once, and the wizard with one screen opened over Home.
 */
export function burst(app: { stdin: { write(data: string): void } }, ...keys: string[]): void {
  for (const key of keys) app.stdin.write(key);
}

/** A screen of the wizard for a test: its title (the status bar's crumb) and body. */
export function testScreen(title: string, component: ScreenDef['component']): ScreenDef {
  return { id: title.toLowerCase(), title, menuLabel: title, keys: [], component };
}

/** The whole wizard (title bar, shell, status bar) with `screen` opened over Home; `quit` records q. */
export function wizard(screen: ScreenDef, info: InstanceInfo = fakeInfo()) {
  const quit = vi.fn();
  const app = render(
    <App located={[located]} services={fakeServices(info)} screens={[screen]} size={{ columns: 100, rows: 30 }} onQuit={quit}
      initialScreen={screen.id} liveIntervalMs={60_000} />,
  );
  return { app, quit };
}
