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

const workerLog = (layout: ServicesLayout): string => path.join(layout.log, 'celery-worker.log');

/** Where the celery worker's log ends now: readiness is looked for after it. */
export function workerLogOffset(layout: ServicesLayout): number {
  try {
    return fs.statSync(workerLog(layout)).size;
  } catch {
    return 0;
  }
}

function workerReadySince(layout: ServicesLayout, offset: number): boolean {
  try {
    const fd = fs.openSync(workerLog(layout), 'r');
    try {
      const size = fs.fstatSync(fd).size;
      // A rotated (shorter) log starts anew.
      const from = size < offset ? 0 : offset;
      const buffer = Buffer.alloc(size - from);
      fs.readSync(fd, buffer, 0, buffer.length, from);
      return /\bcelery@\S+ ready\./.test(buffer.toString('utf8'));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Wait until the services serve: CATMAID answering through nginx (not the maintenance page), the celery worker
 * consuming (when it was started after `workerOffset` of its log), and every program RUNNING under
 * supervisord. Cheap checks are polled; supervisorctl (a python program) only now and then. A clear error
 * naming what is not ready, or which program failed.
 */
export async function waitServing(layout: ServicesLayout, url: string, workerOffset: number | null, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = 'supervisord';
  let nextStates = Date.now() + 2000;
  for (;;) {
    const status = await httpStatus(url);
    const serving = status >= 200 && status < 400;
    const workerReady = workerOffset === null || workerReadySince(layout, workerOffset);
    if ((serving && workerReady) || Date.now() >= nextStates) {
      nextStates = Date.now() + 2000;
      const states = await programStates(layout);
      const failed = states.find((s) => s.state === 'FATAL');
      if (failed) {
        const name = failed.name.split(':')[1];
        throw new CliError(`${name} did not start (${failed.description})`, undefined, `see ${path.join(layout.log, `${name}.log`)}`);
      }
      const notRunning = PROGRAMS.filter((name) => states.find((s) => s.name === `${SERVICES_GROUP}:${name}`)?.state !== 'RUNNING');
      if (notRunning.length === 0 && serving && workerReady) return;
      pending = notRunning.length > 0 ? notRunning.join(', ') : !serving ? `CATMAID through nginx (HTTP ${status || 'no answer'})` : 'celery worker';
    }
    if (Date.now() > deadline) throw new CliError(`the sandbox's services are not ready after ${timeoutMs / 1000} s: ${pending}`, undefined, `see ${layout.log}`);
    await sleep(serving && workerReady ? 300 : 100);
  }
}
