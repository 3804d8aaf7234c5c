/**
 * Every statement the monitor runs, as named constants (pg_activity keeps one file per statement and version
 * range; ours fit in one file because the columns used exist unchanged in PostgreSQL 13–17:
 * pg_stat_activity.backend_type since 10, pg_blocking_pids since 9.6, pg_stat_database since forever).
 */

/** Read once per connection: what does not change between refreshes. */
export const SERVER_INFO_SQL = `SELECT current_setting('server_version') AS version,
  current_setting('server_version_num')::int AS version_num,
  extract(epoch FROM pg_postmaster_start_time()) AS started_epoch,
  current_setting('max_connections')::int AS max_connections,
  current_setting('superuser_reserved_connections')::int AS reserved_connections,
  pg_backend_pid() AS own_pid,
  current_user AS role,
  current_database() AS database,
  (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
  pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
  pg_has_role(current_user, 'pg_signal_backend', 'USAGE') AS signal_backend,
  ARRAY(SELECT rolname::text FROM pg_roles WHERE rolsuper ORDER BY 1) AS superusers,
  ARRAY(SELECT rolname::text FROM pg_roles WHERE pg_has_role(current_user, oid, 'USAGE') ORDER BY 1) AS my_roles`;

/**
 * Every client backend of the cluster but our own, in one scan of pg_stat_activity. The counts by state come
 * from these same rows (counts.ts) rather than from a `count(*) FILTER (…)` statement as in pgcenter: that
 * would scan pg_stat_activity a second time, which with 200 connections doubled the refresh's server time.
 * date_part gives a float, where extract builds numerics (slower, since PostgreSQL 14).
 * pg_blocking_pids takes the lock manager's partition locks: it runs only for sessions that wait on a lock.
 * Without pg_read_all_stats PostgreSQL hides even backend_type of other roles' sessions: a row with a role and
 * a database but no type is such a session (background workers have no role or no database).
 */
export const ACTIVITY_SQL = `SELECT pid, usename AS "user", application_name AS app, client_addr,
  client_port, datname AS database, datname = current_database() AS here, state, wait_event_type, wait_event,
  date_part('epoch', now() - xact_start) AS xact_age,
  date_part('epoch', now() - query_start) AS query_age,
  date_part('epoch', now() - backend_start) AS backend_age,
  query,
  CASE WHEN wait_event_type = 'Lock' THEN pg_blocking_pids(pid) END AS blocked_by,
  age(backend_xmin) AS xmin_age
FROM pg_stat_activity
WHERE (backend_type = 'client backend' OR (backend_type IS NULL AND usename IS NOT NULL AND datname IS NOT NULL))
  AND pid <> pg_backend_pid()`;

/**
 * What holds the xmin horizon besides sessions (the oldest prepared transaction and replication slot), and
 * replication: standbys with their lag on a primary; replay delay on a standby. Cheap views, read with the
 * counters in the same round trip; pg_current_wal_lsn() cannot run on a standby, hence the CASE.
 */
const HORIZON_AND_REPLICATION = `(SELECT json_build_object('gid', gid, 'xid_age', age(transaction),
    'seconds', date_part('epoch', now() - prepared), 'owner', owner, 'database', database)
   FROM pg_prepared_xacts ORDER BY age(transaction) DESC LIMIT 1) AS oldest_prepared,
  (SELECT json_build_object('name', slot_name, 'type', slot_type, 'active', active,
    'xid_age', greatest(age(xmin), age(catalog_xmin)), 'seconds', NULL)
   FROM pg_replication_slots WHERE xmin IS NOT NULL OR catalog_xmin IS NOT NULL
   ORDER BY greatest(age(xmin), age(catalog_xmin)) DESC LIMIT 1) AS oldest_slot,
  pg_is_in_recovery() AS in_recovery,
  (SELECT json_agg(json_build_object('name', application_name, 'client', client_addr, 'state', state,
    'replay_lag', date_part('epoch', replay_lag),
    'behind_bytes', CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) END))
   FROM pg_stat_replication) AS standbys,
  CASE WHEN pg_is_in_recovery() THEN json_build_object(
    'replay_delay', date_part('epoch', now() - pg_last_xact_replay_timestamp()),
    'behind_bytes', pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()),
    'upstream', (SELECT sender_host || ':' || sender_port FROM pg_stat_wal_receiver)) END AS standby`;

/** The cheap second query: cumulative counters for rates, and the server's clock to time them. */
export const STATS_SQL = `SELECT extract(epoch FROM clock_timestamp()) AS at_epoch,
  sum(xact_commit + xact_rollback) AS xacts, sum(blks_hit) AS blks_hit, sum(blks_read) AS blks_read,
  ${HORIZON_AND_REPLICATION}
FROM pg_stat_database WHERE datname = current_database()`;

/** The same plus the database size: pg_database_size walks the files, so it runs only now and then. */
export const STATS_WITH_SIZE_SQL = `SELECT extract(epoch FROM clock_timestamp()) AS at_epoch,
  sum(xact_commit + xact_rollback) AS xacts, sum(blks_hit) AS blks_hit, sum(blks_read) AS blks_read,
  pg_database_size(current_database()) AS size_bytes,
  ${HORIZON_AND_REPLICATION}
FROM pg_stat_database WHERE datname = current_database()`;

export const CANCEL_SQL = 'SELECT pg_cancel_backend($1::int) AS done';
export const TERMINATE_SQL = 'SELECT pg_terminate_backend($1::int) AS done';

/** Keeps a stuck catalog from freezing the screen; the monitor's own queries take milliseconds. */
export const SESSION_SETUP_SQL = "SET statement_timeout = '5s'; SET lock_timeout = '1s'";
