import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CliError } from '../../tasks/errors.js';
import { PROGRAMS, SERVICES_GROUP, type ServicesLayout } from './layout.js';
import { programStates } from './supervisor.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET `url`; the status code, or 0 when nothing answers. */
export function httpStatus(url: string, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

export const workerLog = (layout: ServicesLayout): string => path.join(layout.log, 'celery-worker.log');

/** Where a log ends now: what a start writes is looked for after it. */
export function logOffset(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** What was written to `file` after `offset` (all of it when the log was rotated meanwhile). */
function logSince(file: string, offset: number): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const from = size < offset ? 0 : offset;
      const buffer = Buffer.alloc(size - from);
      fs.readSync(fd, buffer, 0, buffer.length, from);
      return buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** Where to look for a start's traces: null when that part was not (re)started. */
export interface StartOffsets {
  /** supervisord.log, when supervisord itself was started: its state changes are logged there. */
  supervisord: number | null;
  /** celery-worker.log, when the worker was started. */
  worker: number | null;
}

/** Programs not yet RUNNING after a start; throws on one that gave up (FATAL). */
async function notRunning(layout: ServicesLayout, since: StartOffsets): Promise<string[]> {
  if (since.supervisord === null) {
    const states = await programStates(layout);
    const failed = states.find((s) => s.state === 'FATAL');
    if (failed) throw programFailed(layout, failed.name.split(':')[1], failed.description);
    return PROGRAMS.filter((name) => states.find((s) => s.name === `${SERVICES_GROUP}:${name}`)?.state !== 'RUNNING');
  }
  // supervisord logs each program's state changes: reading them costs nothing, supervisorctl is a python run.
  const log = logSince(layout.supervisorLog, since.supervisord);
  const gaveUp = PROGRAMS.find((name) => log.includes(`gave up: ${name} entered FATAL state`));
  if (gaveUp) throw programFailed(layout, gaveUp, 'FATAL: it exited again and again');
  return PROGRAMS.filter((name) => !log.includes(`success: ${name} entered RUNNING state`));
}

const programFailed = (layout: ServicesLayout, name: string, why: string) =>
  new CliError(`${name} did not start (${why})`, undefined, `see ${path.join(layout.log, `${name}.log`)}`);

/**
 * Wait until the services serve: every program RUNNING under supervisord, CATMAID answering through nginx
 * (not the maintenance page), and a (re)started celery worker consuming. A clear error naming what is not
 * ready, or which program failed.
 */
export async function waitServing(layout: ServicesLayout, url: string, since: StartOffsets, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = 'supervisord';
  let nextCtl = 0;
  for (;;) {
    const status = await httpStatus(url);
    const workerReady = since.worker === null || /\bcelery@\S+ ready\./.test(logSince(workerLog(layout), since.worker));
    // Without supervisord's log to read, ask supervisorctl only once the rest is ready, or every 3 s.
    const ask = since.supervisord !== null || (status === 200 && workerReady) || Date.now() >= nextCtl;
    if (ask) {
      nextCtl = Date.now() + 3000;
      const programs = await notRunning(layout, since);
      if (programs.length === 0 && status >= 200 && status < 400 && workerReady) return;
      pending = programs.length > 0 ? programs.join(', ')
        : status < 200 || status >= 400 ? `CATMAID through nginx (HTTP ${status || 'no answer'})` : 'celery worker';
    }
    if (Date.now() > deadline) throw new CliError(`the sandbox's services are not ready after ${timeoutMs / 1000} s: ${pending}`, undefined, `see ${layout.log}`);
    await sleep(100);
  }
}
