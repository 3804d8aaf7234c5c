import type pg from 'pg';
import { CliError, RefusedError } from '../errors.js';
import { CANCEL_SQL, TERMINATE_SQL } from './queries.js';
import type { ServerInfo, Session } from './types.js';

export type SignalKind = 'cancel' | 'terminate';

/**
 * PostgreSQL's own rule (pg_signal_backend in src/backend/storage/ipc/signalfuncs.c): a superuser may signal
 * anyone; nobody else may signal a superuser's backend; otherwise the role must have the privileges of the
 * target's role or of pg_signal_backend. The screen offers c and k only where this says yes.
 */
export function maySignal(me: ServerInfo, target: Pick<Session, 'pid' | 'user'>): { allowed: boolean; why: string } {
  if (target.pid === me.ownPid) return { allowed: false, why: 'that is the monitor itself' };
  if (me.superuser) return { allowed: true, why: 'superuser' };
  if (target.user === null) return { allowed: false, why: 'another role’s session (hidden)' };
  if (me.superusers.includes(target.user)) return { allowed: false, why: `${target.user} is a superuser` };
  if (me.signalBackend) return { allowed: true, why: 'member of pg_signal_backend' };
  if (me.myRoles.includes(target.user)) return { allowed: true, why: 'same role' };
  return { allowed: false, why: `needs superuser, pg_signal_backend or the role ${target.user}` };
}

/**
 * Cancel the backend's running query, or end the backend. Returns false when the pid was already gone (the
 * server says so with a warning and `false`).
 */
export async function signalBackend(client: pg.Client, me: ServerInfo, target: Pick<Session, 'pid' | 'user'>,
  kind: SignalKind): Promise<boolean> {
  const check = maySignal(me, target);
  if (!check.allowed) throw new RefusedError(`may not ${kind} backend ${target.pid}: ${check.why}`);
  try {
    const { rows } = await client.query<{ done: boolean }>(kind === 'cancel' ? CANCEL_SQL : TERMINATE_SQL, [target.pid]);
    return rows[0]?.done === true;
  } catch (err) {
    throw new CliError(`could not ${kind} backend ${target.pid}: ${(err as Error).message}`);
  }
}
