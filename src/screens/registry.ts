import type { ComponentType } from 'react';
import type { KeyBinding } from '../hooks/keymap.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { backupScreen } from './Backup.js';
import { checkupScreen } from './Checkup.js';
import { extensionsScreen } from './Extensions.js';
import { monitorScreen } from './Monitor.js';
import { restoreScreen } from './Restore.js';
import { scheduleScreen } from './Schedule.js';
import { sslScreen } from './Ssl.js';
import { updateScreen } from './Update.js';

/** What the shell gives every screen. */
export interface ScreenProps {
  info: InstanceInfo;
  /** False while the help overlay covers the screen: its key handlers must stay quiet then. */
  active: boolean;
  /** The body's size in cells (between the title bar and the status bar). */
  width: number;
  height: number;
}

/**
 * A screen the Home menu can open. Title bar, status bar, breadcrumbs, help overlay and Esc/q handling come
 * from the shell; the screen draws its body and handles its own keys (listed in `keys`, or published while
 * they change with `useScreenKeys`).
 */
export interface ScreenDef {
  id: string;
  /** Breadcrumb and help title, e.g. 'Backup'. */
  title: string;
  /** The Home menu's label, e.g. 'Backup'. */
  menuLabel: string;
  /**
   * A React hook giving the Home menu's one-line status ('last: 19 h ago ✓ verified'). Called once per
   * render of the menu row, so it may use state, effects and `usePoll`.
   */
  useStatus?: (info: InstanceInfo) => string | undefined;
  keys: KeyBinding[];
  component: ComponentType<ScreenProps>;
}

/**
 * The Home menu, in order. A later issue adds its screen with one line here (`import { backupScreen } from
 * './Backup.js'` and the entry below).
 */
export const screens: ScreenDef[] = [
  updateScreen,
  backupScreen,
  restoreScreen,
  scheduleScreen,
  monitorScreen,
  checkupScreen,
  sslScreen,
  extensionsScreen,
];
