import type { ServerProcess } from '../tasks/instance/types.js';


/** 412 MB, 1.2 GB: decimal units, like `pg_size_pretty` roughly and `df -H`. */

/** 'gunicorn ×4, runserver' from the processes found for an instance. */
export function formatServers(servers: ServerProcess[]): string {
  const counts = new Map<string, number>();
  for (const server of servers) counts.set(server.kind, (counts.get(server.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind)).join(', ');
}

/** Django's CONN_MAX_AGE as the admin would write it. */
export function formatConnMaxAge(value: number | null): string {
  return value === null ? 'None (forever)' : String(value);
}

/** HH:MM:SS local time, for when the live part was last read. */
export function clock(at: number | undefined): string {
  if (at === undefined) return 'not yet';
  return new Date(at).toTimeString().slice(0, 8);
}
