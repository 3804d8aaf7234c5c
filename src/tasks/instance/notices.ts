import { oneLine } from '../errors.js';
import type { InstanceInfo } from './types.js';

/**
 * Something about an instance that needs the admin, whatever screen or command they came for: an update left
 * unfinished, derived tables left empty by an interrupted restore, migrations not applied, a PostGIS library newer
 * than its extension, a certificate about to expire, a scheduled backup that failed. Home shows each on a line of
 * its own; `info` lists them (and `info --json` as `notices`).
 */
export interface Notice {
  /** Stable, e.g. `restore.derived-tables-empty`. */
  id: string;
  severity: 'fail' | 'warn' | 'info';
  /** One short line, e.g. `edge tables empty: rebuild`. */
  text: string;
  /** The command that deals with it, e.g. `catmaid-tui restore --rebuild-derived`. */
  command?: string;
  /** The wizard screen that offers the fix (a registry id), when one does. */
  screen?: string;
}

/** A source of notices; `read` must be cheap (a query or a file), it runs on Home every minute. */
export interface NoticeProvider {
  id: string;
  read(info: InstanceInfo): Promise<Notice[]>;
}

/**
 * What Home waits for each provider (it reads them every minute). A slower answer still arrives: a provider that
 * keeps its answer (migrations) has it at the next read. `info` allows more, since the admin waits for it.
 */
export const PROVIDER_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Every provider's notices, read concurrently; a provider that fails says so as a notice of its own. */
export async function collectNotices(info: InstanceInfo, providers: readonly NoticeProvider[], timeoutMs = PROVIDER_TIMEOUT_MS): Promise<Notice[]> {
  const results = await Promise.all(
    providers.map(async (provider): Promise<Notice[]> => {
      try {
        return await withTimeout(provider.read(info), timeoutMs, provider.id);
      } catch (err) {
        return [{ id: `${provider.id}.unchecked`, severity: 'info', text: `could not check ${provider.id}: ${oneLine(err)}` }];
      }
    }),
  );
  const order = { fail: 0, warn: 1, info: 2 } as const;
  return results.flat().sort((a, b) => order[a.severity] - order[b.severity]);
}

/** `info`'s text form of a notice: the line, then what to run. */
export function noticeLine(notice: Notice): string {
  const mark = notice.severity === 'fail' ? '✗' : notice.severity === 'warn' ? '!' : 'i';
  return `${mark} ${notice.text}${notice.command ? ` (${notice.command})` : ''}`;
}
