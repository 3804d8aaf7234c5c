import { lazy, type ComponentType } from 'react';
import type { KeyBinding } from '../hooks/keymap.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { useLastBackup } from '../hooks/useBackup.js';
import { useScheduleStatus } from '../hooks/useSchedule.js';
import { useSslStatusLine } from '../hooks/useSslStatus.js';
import { backupKeys, restoreKeys, scheduleKeys } from './backup/keys.js';
import { checkupKeys } from './checkup/keys.js';
import { extensionsKeys } from './extensions/keys.js';
import { monitorKeys } from './monitor/keys.js';
import { sslKeys } from './ssl/keys.js';
import { updateKeys } from './update/keys.js';

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
   * render of the menu row, so it may use state, effects and `usePoll`; it polls only while Home is `visible`
   * (Home stays mounted under other screens, where nobody reads it).
   */
  useStatus?: (info: InstanceInfo, visible: boolean) => string | undefined;
  keys: KeyBinding[];
  component: ComponentType<ScreenProps>;
}

/**
 * A screen's code is loaded when it is first opened: the wizard's first frame (and `catmaid-tui monitor`) does
 * not compile and hold every screen and the libraries only they use. The shell shows a spinner meanwhile.
 */
function lazyScreen(load: () => Promise<ComponentType<ScreenProps>>): ComponentType<ScreenProps> {
  return lazy(async () => ({ default: await load() }));
}

/** The Home menu, in order. A later issue adds its screen with one entry here. */
export const screens: ScreenDef[] = [
  { id: 'update', title: 'Update', menuLabel: 'Update', keys: updateKeys, component: lazyScreen(async () => (await import('./Update.js')).Update) },
  {
    id: 'backup',
    title: 'Backup',
    menuLabel: 'Backup',
    useStatus: (info, visible) => useLastBackup(info, visible),
    keys: backupKeys,
    component: lazyScreen(async () => (await import('./Backup.js')).Backup),
  },
  { id: 'restore', title: 'Restore', menuLabel: 'Restore', keys: restoreKeys, component: lazyScreen(async () => (await import('./Restore.js')).Restore) },
  {
    id: 'schedule',
    title: 'Schedule backups',
    menuLabel: 'Schedule backups',
    useStatus: (info, visible) => useScheduleStatus(info, visible),
    keys: scheduleKeys,
    component: lazyScreen(async () => (await import('./Schedule.js')).Schedule),
  },
  { id: 'monitor', title: 'Monitor', menuLabel: 'Monitor connections', keys: monitorKeys, component: lazyScreen(async () => (await import('./Monitor.js')).Monitor) },
  { id: 'checkup', title: 'Checkup', menuLabel: 'Performance checkup', keys: checkupKeys, component: lazyScreen(async () => (await import('./Checkup.js')).Checkup) },
  {
    id: 'ssl',
    title: 'SSL setup',
    menuLabel: 'SSL setup',
    useStatus: (info, visible) => useSslStatusLine(info, visible),
    keys: sslKeys,
    component: lazyScreen(async () => (await import('./Ssl.js')).Ssl),
  },
  {
    id: 'extensions',
    title: 'Custom front-end code',
    menuLabel: 'Custom front-end code',
    useStatus: (info) => {
      const s = info.settings.settings;
      if (!s.staticExtensionFilesIsList) return '✗ not a list';
      return `${s.staticExtensionFiles.length} file(s)`;
    },
    keys: extensionsKeys,
    component: lazyScreen(async () => (await import('./Extensions.js')).Extensions),
  },
];
