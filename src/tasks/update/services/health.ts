import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { execa } from 'execa';
import { oneLine } from '../../errors.js';
import type { WebEntry } from './web.js';

/**
 * Probes of a running CATMAID through its web server, each retried until it passes or its time is up: the page
 * answers 2xx/3xx through nginx, the websocket route upgrades (101), a celery worker answers `inspect ping`.
 * And while the services are stopped: nginx answers with the maintenance page (502/503), not with CATMAID.
 */
export type Probe =
  | { kind: 'maintenance'; web: WebEntry }
  | { kind: 'http'; web: WebEntry; timeoutSeconds: number }
  | { kind: 'websocket'; web: WebEntry; timeoutSeconds: number }
  | { kind: 'celery'; argv: string[]; cwd: string; timeoutSeconds: number };

export interface ProbeResult {
  ok: boolean;
  /** What was seen, one line. */
  said: string;
}

interface Answer {
  status: number;
  body: string;
}

function request(web: WebEntry, path: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<Answer> {
  const lib = web.connect.tls ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        host: web.connect.host,
        port: web.connect.port,
        path,
        method: 'GET',
        headers: { Host: web.host, 'User-Agent': 'catmaid-tui health check', ...headers },
        timeout: timeoutMs,
        // The check goes to this host's own nginx: the certificate is checked by browsers, not here.
        ...(web.connect.tls ? { servername: web.host, rejectUnauthorized: false } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 65_536) body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, body: '' });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

const pathOf = (url: string): string => new URL(url).pathname;
const title = (body: string): string => /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim() ?? '';

async function httpOnce(web: WebEntry): Promise<ProbeResult> {
  const answer = await request(web, pathOf(web.url));
  const ok = answer.status >= 200 && answer.status < 400;
  return { ok, said: `GET ${web.url} → ${answer.status}${title(answer.body) ? ` (${title(answer.body)})` : ''}` };
}

async function websocketOnce(web: WebEntry): Promise<ProbeResult> {
  const path = web.websocketPath ?? `${pathOf(web.url)}channels/updates/`;
  const answer = await request(web, path, {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'),
  });
  return { ok: answer.status === 101, said: `websocket ${path} → ${answer.status === 101 ? '101 upgraded' : answer.status}` };
}

async function celeryOnce(argv: string[], cwd: string): Promise<ProbeResult> {
  const [file, ...args] = argv;
  const result = await execa(file, args, { cwd, reject: false, all: true, timeout: 30_000, env: { PYTHONUNBUFFERED: '1' } });
  const pong = /->\s*(\S+):\s*OK\s*\n\s*pong|\bpong\b/.exec(`${result.all ?? ''}`);
  const who = /->\s*(\S+):\s*OK/.exec(`${result.all ?? ''}`)?.[1];
  return pong && result.exitCode === 0
    ? { ok: true, said: `celery inspect ping → pong${who ? ` from ${who}` : ''}` }
    : { ok: false, said: `celery inspect ping → ${oneLine(`${result.all ?? ''}`.trim().split('\n').at(-1) ?? result.shortMessage)}` };
}

async function maintenanceOnce(web: WebEntry): Promise<ProbeResult> {
  const answer = await request(web, pathOf(web.url));
  const down = answer.status === 502 || answer.status === 503;
  return { ok: down, said: `GET ${web.url} → ${answer.status}${title(answer.body) ? ` (${title(answer.body)})` : ''}${down ? '' : ': CATMAID still answers'}` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run a probe until it passes or its time is up; every attempt that differs from the last is reported. */
export async function runProbe(probe: Probe, onLine: (line: string) => void = () => undefined, signal?: AbortSignal): Promise<ProbeResult> {
  const deadline = Date.now() + (probe.kind === 'maintenance' ? 15 : probe.timeoutSeconds) * 1000;
  let last: ProbeResult = { ok: false, said: 'not tried' };
  let reported = '';
  for (;;) {
    try {
      last =
        probe.kind === 'http' ? await httpOnce(probe.web)
        : probe.kind === 'websocket' ? await websocketOnce(probe.web)
        : probe.kind === 'celery' ? await celeryOnce(probe.argv, probe.cwd)
        : await maintenanceOnce(probe.web);
    } catch (err) {
      last = { ok: false, said: oneLine(err) };
    }
    if (last.said !== reported) onLine(last.said);
    reported = last.said;
    if (last.ok || Date.now() > deadline || signal?.aborted) return last;
    await sleep(1000);
  }
}
