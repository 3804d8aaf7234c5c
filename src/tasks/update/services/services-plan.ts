import path from 'node:path';
import { UsageError } from '../../errors.js';
import type { ServicesPlan } from '../plan.js';
import type { Probe } from './health.js';
import type { ServiceSetup } from './setup.js';
import type { WebEntry } from './web.js';

export const DEFAULT_HEALTH_SECONDS = 60;

/** `--url https://catmaid.example.org/catmaid/`: the health check asks there (the host's own address). */
export function webEntryOfUrl(url: string): WebEntry {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url ${url}: not a URL`, 'e.g. --url https://catmaid.example.org/catmaid/');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url ${url}: only http and https`);
  const tls = parsed.protocol === 'https:';
  const pathname = parsed.pathname.endsWith('/') ? parsed.pathname : `${parsed.pathname}/`;
  return {
    url: `${parsed.origin}${pathname}`,
    connect: { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || (tls ? 443 : 80)), tls },
    host: parsed.host,
    websocketPath: null,
    found: '--url',
  };
}

/** `celery -A mysite worker -l info` → `celery -A mysite inspect ping --timeout 5`. */
export function celeryPing(command: string): string[] | null {
  const words = command.split(/\s+/).filter(Boolean);
  const at = words.indexOf('worker');
  if (at < 1 || !words.slice(0, at).some((w) => path.basename(w) === 'celery' || w === 'celery')) return null;
  return [...words.slice(0, at), 'inspect', 'ping', '--timeout', '5'];
}

/** What stopping, the maintenance page, starting and the health probes are for this setup. */
export function servicesPlan(root: string, setup: ServiceSetup, web: WebEntry | null, timeoutSeconds = DEFAULT_HEALTH_SECONDS): ServicesPlan {
  const health: Probe[] = [];
  const running = new Set(setup.programs);
  const programs = setup.supervisor.flatMap((s) => s.programs.filter((p) => running.has(p.group ? `${p.group}:${p.name}` : p.name)).map((p) => ({ command: p.command, cwd: p.directory })));
  programs.push(...setup.systemd.filter((u) => u.active).map((u) => ({ command: u.command, cwd: null })));
  if (web) {
    health.push({ kind: 'http', web, timeoutSeconds });
    if (programs.some((p) => /\bdaphne\b|\buvicorn\b/.test(p.command)) || web.websocketPath) health.push({ kind: 'websocket', web, timeoutSeconds });
  }
  const celery = programs.map((p) => ({ argv: celeryPing(p.command), cwd: p.cwd })).find((p) => p.argv !== null);
  if (celery?.argv) health.push({ kind: 'celery', argv: celery.argv, cwd: celery.cwd ?? path.join(root, 'django', 'projects'), timeoutSeconds });
  return { stop: setup.stop, start: setup.start, maintenance: web && setup.stop.length > 0 ? { kind: 'maintenance', web } : null, health };
}
