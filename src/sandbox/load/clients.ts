import pg from 'pg';
import type { DatabaseSettings } from '../../tasks/instance/types.js';

/** What kind of traffic a load connection makes; shown by `sessions()` so tests know which pid is which. */
export type LoadRole = 'worker' | 'long' | 'holder' | 'waiter' | 'leak';

export interface LoadSession {
  pid: number;
  role: LoadRole;
  app: string;
}

/**
 * Every connection the load opens, so stop() can end them all: ended clients leave the set, and the pids of
 * the open ones can be terminated at the server (a backend busy in pg_sleep would otherwise linger until the
 * sleep ends, however the client socket closes).
 */
export class ClientPool {
  private readonly open = new Map<pg.Client, LoadSession>();
  errors = 0;
  private closing = false;

  constructor(private readonly db: DatabaseSettings) {}

  async connect(role: LoadRole, app: string): Promise<pg.Client> {
    const client = new pg.Client({
      host: this.db.host,
      port: this.db.port,
      database: this.db.name,
      user: this.db.user,
      password: this.db.password,
      application_name: app,
      connectionTimeoutMillis: 5000,
    });
    client.on('error', () => {
      // Backends terminated by closeAll() report errors too: those are the stop, not a failure.
      if (!this.closing) this.errors += 1;
    });
    await client.connect();
    this.open.set(client, { pid: (client as unknown as { processID: number }).processID, role, app });
    return client;
  }

  async close(client: pg.Client): Promise<void> {
    this.open.delete(client);
    await client.end().catch(() => undefined);
  }

  sessions(): LoadSession[] {
    return [...this.open.values()];
  }

  /** End every open connection, terminating the backends first so none outlives stop(). */
  async closeAll(): Promise<void> {
    this.closing = true;
    const pids = this.sessions().map((s) => s.pid);
    if (pids.length > 0) {
      const control = new pg.Client({
        host: this.db.host, port: this.db.port, database: this.db.name, user: this.db.user,
        password: this.db.password, application_name: 'catmaid-tui load (stopping)', connectionTimeoutMillis: 5000,
      });
      control.on('error', () => undefined);
      try {
        await control.connect();
        await control.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      } catch {
        // Server gone or no slot left: closing the sockets below is all that can be done.
      } finally {
        await control.end().catch(() => undefined);
      }
    }
    await Promise.all([...this.open.keys()].map((client) => this.close(client)));
  }
}
