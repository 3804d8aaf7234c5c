import type { KeyBinding } from '../../hooks/keymap.js';

export type UpdateAction =
  | 'up' | 'down' | 'pgup' | 'pgdn' | 'top' | 'bottom'
  | 'read' | 'start' | 'recheck' | 'rebase' | 'merge' | 'allow'
  | 'log' | 'stop' | 'retry' | 'rollback' | 'leave'
  | 'target' | 'postgis' | 'resume' | 'pick' | 'cancel' | 'details';

const scroll: KeyBinding<UpdateAction>[] = [
  { action: 'up', keys: ['up', 'k'], label: '↑ k', help: 'scroll the release notes up', hint: '↑↓ scroll' },
  { action: 'down', keys: ['down', 'j'], label: '↓ j', help: 'scroll the release notes down' },
  { action: 'pgup', keys: ['pgup', 'b'], label: 'PgUp b', help: 'a page up' },
  { action: 'pgdn', keys: ['pgdn', 'space'], label: 'PgDn space', help: 'a page down' },
  { action: 'top', keys: ['home', 'g'], label: 'Home g', help: 'to the first note' },
  { action: 'bottom', keys: ['end', 'G'], label: 'End G', help: 'to the last note' },
];

const readKey: KeyBinding<UpdateAction> = {
  action: 'read', keys: ['r', 'enter'], label: 'r ⏎', help: 'mark the release notes as read (once scrolled to their end)', hint: 'r read ✓',
};
const startKey: KeyBinding<UpdateAction> = {
  action: 'start', keys: ['u', 'enter'], label: 'u ⏎', help: 'start the update (asks first; a backup is taken before any step)', hint: 'u update',
};
const recheckKey: KeyBinding<UpdateAction> = { action: 'recheck', keys: ['c'], label: 'c', help: 'run the pre-flight checks again', hint: 'c check again' };
const rebaseKey: KeyBinding<UpdateAction> = { action: 'rebase', keys: ['R'], label: 'R', help: "rebase the local commits onto the target (CATMAID's administration manual advises this)", hint: 'R rebase' };
const mergeKey: KeyBinding<UpdateAction> = { action: 'merge', keys: ['M'], label: 'M', help: 'merge the target into the local commits', hint: 'M merge' };
const allowKey: KeyBinding<UpdateAction> = { action: 'allow', keys: ['A'], label: 'A', help: 'update although the server runs (not advised: requests see a half-migrated database)', hint: 'A allow running' };
const logKey: KeyBinding<UpdateAction> = { action: 'log', keys: ['l'], label: 'l', help: 'show or hide the full log', hint: 'l log' };
const stopKey: KeyBinding<UpdateAction> = { action: 'stop', keys: ['esc'], label: 'Esc', help: 'stop the running step (asks first)', hint: 'esc stop (asks)' };

const detailsKey: KeyBinding<UpdateAction> = { action: 'details', keys: ['d'], label: 'd', help: 'every pre-flight check with its reasons, instead of the notes (d again: back)', hint: 'd details' };
const targetKey: KeyBinding<UpdateAction> = { action: 'target', keys: ['t'], label: 't', help: 'choose the target: the tracked branch or a newer release (its notes are shown)', hint: 't target' };
const postgisKey: KeyBinding<UpdateAction> = { action: 'postgis', keys: ['P'], label: 'P', help: 'update PostGIS in the databases behind the library (ALTER EXTENSION postgis UPDATE, as the superuser)', hint: 'P update PostGIS' };
const resumeKey: KeyBinding<UpdateAction> = { action: 'resume', keys: ['S'], label: 'S', help: 'resume the unfinished update: its remaining steps, with its backup', hint: 'S resume' };
const rollbackUnfinishedKey: KeyBinding<UpdateAction> = { action: 'rollback', keys: ['B'], label: 'B', help: 'roll the unfinished update back: old commit, its requirements, its backup (type the database name)', hint: 'B roll back' };

export interface ReviewOptions {
  read: boolean;
  mayStart: boolean;
  localCommits: boolean;
  serverRunning: boolean;
  /** More than one target to choose from. */
  choices: boolean;
  postgisBehind: boolean;
  /** An update that began and did not end (and no process runs it). */
  unfinished: boolean;
}

/** Reviewing: scroll the notes, mark them read, then start; what else depends on what the pre-flight found. */
export function reviewKeys(options: ReviewOptions): KeyBinding<UpdateAction>[] {
  const keys = [...scroll, options.read ? startKey : readKey, recheckKey, detailsKey];
  if (!options.mayStart && options.read) keys.splice(keys.indexOf(startKey), 1);
  if (options.choices && !options.unfinished) keys.push(targetKey);
  if (options.unfinished) keys.push(resumeKey, rollbackUnfinishedKey);
  if (options.postgisBehind) keys.push(postgisKey);
  if (options.localCommits) keys.push(rebaseKey, mergeKey);
  if (options.serverRunning) keys.push(allowKey);
  return keys;
}

/** Choosing the target. */
export const pickKeys: KeyBinding<UpdateAction>[] = [
  { action: 'up', keys: ['up', 'k'], label: '↑ k', help: 'the target above', hint: '↑↓ choose' },
  { action: 'down', keys: ['down', 'j'], label: '↓ j', help: 'the target below' },
  { action: 'pick', keys: ['enter'], label: '⏎', help: 'update to this one (the pre-flight and its notes are read again)', hint: '⏎ pick' },
  { action: 'cancel', keys: ['esc'], label: 'Esc', help: 'keep the target as it was', hint: 'esc back' },
];

export const runningKeys: KeyBinding<UpdateAction>[] = [logKey, stopKey];

/** After a failed step: the choice the sketch shows. */
export const failureKeys: KeyBinding<UpdateAction>[] = [
  { action: 'retry', keys: ['r'], label: 'r', help: 'run the failed step again, and the ones after it', hint: 'r retry' },
  logKey,
  { action: 'rollback', keys: ['b'], label: 'b', help: 'roll back: old commit, its requirements, the pre-update backup (type the database name)', hint: 'b roll back' },
  { action: 'leave', keys: ['x'], label: 'x', help: 'leave it as it is (roll back later: catmaid-tui update --rollback)', hint: 'x leave as is' },
];

export const finishedKeys: KeyBinding<UpdateAction>[] = [logKey];

/** Everything the screen can do, for the help overlay on opening. */
export const updateKeys: KeyBinding<UpdateAction>[] = [...scroll, readKey, startKey, recheckKey, detailsKey, targetKey, postgisKey, resumeKey, rollbackUnfinishedKey, rebaseKey, mergeKey, allowKey, logKey, stopKey, ...failureKeys.filter((k) => k.action !== 'log')];

export interface KeyState {
  stage: 'review' | 'pick' | 'run' | 'rollback';
  /** The update (or the rollback, in its stage) runs. */
  working: boolean;
  /** A step failed and the admin has not chosen to leave it as it is. */
  failed: boolean;
  checkFailed: boolean;
  /** What the pre-flight found, once it has. */
  review: ReviewOptions | undefined;
}

/** The keys of each stage: the same function for the status bar and for routing the key after another. */
export function updateBindings(state: KeyState): KeyBinding<UpdateAction>[] {
  if (state.stage === 'pick') return pickKeys;
  if (state.stage === 'rollback') return state.working ? [] : finishedKeys;
  if (state.stage === 'run') return state.working ? runningKeys : state.failed ? failureKeys : finishedKeys;
  if (state.review) return reviewKeys(state.review);
  return state.checkFailed ? [recheckKey] : [];
}
