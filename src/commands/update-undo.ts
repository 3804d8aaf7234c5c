import type { Command } from 'commander';
import { backupEventLine } from '../tasks/backup/summary.js';
import { discoverInstance } from '../tasks/instance/index.js';
import { openTaskLog } from '../tasks/task-log.js';
import { rollbackEventLine } from '../tasks/update/report.js';
import { resumeUpdate } from '../tasks/update/resume.js';
import { rollbackUpdate } from '../tasks/update/rollback.js';
import type { UpdateEvent } from '../tasks/update/run.js';
import { confirmOrRefuse } from './confirm.js';
import { instanceOf, printJson } from './context.js';

/** `update --rollback` and `update --resume`: the two ways out of an update that did not finish well. */
export interface UndoFlags {
  yes?: boolean;
  json?: boolean;
  systemPython?: boolean;
  out?: string;
}

export const say = (json: boolean | undefined, text: string) => process[json ? 'stderr' : 'stdout'].write(`${text}\n`);

/**
 * The runner's events as the command prints them (the screen draws the same events as rows): each step when it
 * ends, the backup's news, and what each probe of the web server saw.
 */
export function updateEventPrinter(json: boolean | undefined): (event: UpdateEvent) => void {
  const probes = new Set<number>();
  return (event) => {
    if (event.type === 'backup') {
      const line = event.event.type === 'progress' ? null : backupEventLine(event.event);
      if (line) say(json, `  backup: ${line}`);
    } else if (event.type === 'step' && event.state === 'running') {
      if (event.step.probe) probes.add(event.index);
    } else if (event.type === 'step') {
      say(json, `${event.state === 'done' ? '✓' : '✗'} ${event.step.title}  ${event.seconds?.toFixed(1)} s`);
    } else if (event.type === 'output' && probes.has(event.index)) {
      say(json, `    ${event.line}`);
    }
  };
}

export async function rollback(command: Command, flags: UndoFlags): Promise<void> {
  const located = await instanceOf(command);
  const info = await discoverInstance(located, { processes: false });
  if (!flags.yes) await confirmOrRefuse(`Roll back the last update of ${located.root} and restore its pre-update backup over database ${info.settings.settings.database.name}?`, false);
  const log = openTaskLog('update-rollback');
  log.redact(info.settings.settings.database.password);
  try {
    const result = await rollbackUpdate(info, {
      log,
      confirmed: true,
      systemPython: flags.systemPython,
      onEvent: (event) => {
        const line = event.type === 'output' || (event.type === 'restore' && event.event.type === 'progress') ? null : rollbackEventLine(event);
        if (line) say(flags.json, line);
      },
    });
    if (flags.json) printJson({ rolledBack: true, commit: result.commit, restoredBackup: result.restoredBackup, said: result.said, log: log.path });
    else say(false, [...result.said, `log: ${log.path}`].join('\n'));
  } finally {
    log.close();
  }
}

export async function resume(command: Command, flags: UndoFlags, backupDir: (root: string) => Promise<string>): Promise<void> {
  const located = await instanceOf(command);
  const info = await discoverInstance(located);
  await confirmOrRefuse(`Resume the unfinished update of ${located.root} (its remaining steps)?`, flags.yes);
  const log = openTaskLog('update-resume');
  log.redact(info.settings.settings.database.password);
  say(flags.json, `log: ${log.path}`);
  try {
    const summary = await resumeUpdate(info, { backupDir: await backupDir(located.root), log, onEvent: updateEventPrinter(flags.json) });
    if (flags.json) printJson({ updated: true, resumed: true, ...summary });
    else say(false, `\nUpdated ${summary.from} → ${summary.to}; ${summary.migrations.length} migration(s) applied.`);
  } finally {
    log.close();
  }
}
