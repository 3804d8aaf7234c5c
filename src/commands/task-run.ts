import { oneLine } from '../tasks/errors.js';
import { openTaskLog, type TaskLog } from '../tasks/task-log.js';

/** SIGINT/SIGTERM abort the task (which cleans up) instead of killing the process half-way. */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Progress on stderr: a rewritten line in a terminal, only the milestones otherwise. */
export function statusWriter(quiet: boolean) {
  const live = process.stderr.isTTY === true;
  let pending = false;
  return {
    line(text: string | null) {
      if (quiet || text === null) return;
      if (pending) process.stderr.write('\r\x1b[K');
      pending = false;
      process.stderr.write(`${text}\n`);
    },
    /** Said even when quiet: a warning needs the admin (cron mails it). */
    warn(text: string | null) {
      if (text === null) return;
      if (pending) process.stderr.write('\r\x1b[K');
      pending = false;
      process.stderr.write(`${text}\n`);
    },
    progress(text: string) {
      if (quiet || !live) return;
      process.stderr.write(`\r\x1b[K${text}`);
      pending = true;
    },
  };
}

/** Run with a task log that records the outcome, failures included, and is always closed. */
export async function logged<T>(name: string, password: string, work: (log: TaskLog) => Promise<T>): Promise<T> {
  const log = openTaskLog(name);
  log.redact(password);
  try {
    return await work(log);
  } catch (err) {
    log.line(`failed: ${oneLine(err)}`);
    throw err;
  } finally {
    log.close();
  }
}
