import pg from 'pg';
import { oneLine } from '../errors.js';

/**
 * The monitor's one connection: opened lazily, reused for every refresh, dropped when the server goes away and
 * reopened with a growing pause between attempts (0.5 s doubling up to `maxBackoffMs`), so a stopped server
 * costs one cheap failed connect per pause, never a crash.
 */
export interface ConnectionStatus {
  connected: boolean;
  /** Milliseconds since the epoch; set while disconnected. */
  disconnectedSince: number | null;
  lastError: string | null;
  /** When the next attempt may happen (ms since the epoch). */
  retryAt: number | null;
  attempts: number;
  /** Grows by one per new connection: callers re-read what belongs to a connection (pid, roles). */
  generation: number;
}

export interface ConnectionOptions {
  minBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  /** Run once on every new connection (session settings, server info). */
  onConnect?: (client: pg.Client) => Promise<void>;
}

export class NotConnectedError extends Error {
  constructor(readonly status: ConnectionStatus) {
    super(status.lastError ?? 'not connected');
    this.name = 'NotConnectedError';
  }
}

/** SQLSTATE classes 08 (connection exception) and 57P (shutdown, crash): the connection is gone. */
export function isConnectionLoss(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P');
  return true;
}

export class MonitorConnection {
  private client: pg.Client | null = null;
  private readonly minBackoff: number;
  private readonly maxBackoff: number;
  private readonly now: () => number;
  private state: ConnectionStatus = {
    connected: false, disconnectedSince: null, lastError: null, retryAt: null, attempts: 0, generation: 0,
  };

  constructor(private readonly config: pg.ClientConfig, private readonly options: ConnectionOptions = {}) {
    this.minBackoff = options.minBackoffMs ?? 500;
    this.maxBackoff = options.maxBackoffMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  status(): ConnectionStatus {
    return { ...this.state };
  }

  /** Run `work` on the connection, connecting first if needed; throws NotConnectedError while backing off. */
  async run<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = await this.connected();
    try {
      return await work(client);
    } catch (err) {
      if (isConnectionLoss(err) || this.client !== client) {
        this.lost(err);
        throw new NotConnectedError(this.status());
      }
      throw err;
    }
  }

  private async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    if (this.state.retryAt !== null && this.now() < this.state.retryAt) throw new NotConnectedError(this.status());
    const client = new pg.Client(this.config);
    // A server going away emits 'error' on an idle client; it must not crash the process.
    client.on('error', (err) => {
      if (this.client === client) this.lost(err);
    });
    client.on('end', () => {
      if (this.client === client) this.lost(new Error('the server closed the connection'));
    });
    try {
      await client.connect();
      await this.options.onConnect?.(client);
    } catch (err) {
      await client.end().catch(() => undefined);
      this.failed(err);
      throw new NotConnectedError(this.status());
    }
    this.client = client;
    this.state = { connected: true, disconnectedSince: null, lastError: null, retryAt: null, attempts: 0,
      generation: this.state.generation + 1 };
    return client;
  }

  private failed(err: unknown): void {
    const attempts = this.state.attempts + 1;
    const pause = Math.min(this.maxBackoff, this.minBackoff * 2 ** (attempts - 1));
    this.state = {
      ...this.state,
      connected: false,
      disconnectedSince: this.state.disconnectedSince ?? this.now(),
      lastError: oneLine(err) || 'connection failed',
      retryAt: this.now() + pause,
      attempts,
    };
  }

  private lost(err: unknown): void {
    const client = this.client;
    this.client = null;
    if (client) void client.end().catch(() => undefined);
    // The first reconnect is tried right away: a restarted server is usually back already.
    this.state = { ...this.state, connected: false, disconnectedSince: this.state.disconnectedSince ?? this.now(),
      lastError: oneLine(err) || 'connection lost', retryAt: null, attempts: 0 };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.state = { ...this.state, connected: false };
    if (client) await client.end().catch(() => undefined);
  }
}
