/**
 * PGTune's rules for the "web application" profile on Linux, with PGTune's own integer rounding, so our numbers
 * are the ones https://pgtune.leopard.in.ua prints for the same machine. Formulas from le0pard/pgtune,
 * src/features/configuration/configurationSlice.js (selectSharedBuffers, selectEffectiveCacheSize,
 * selectMaintenanceWorkMem, selectWorkMem, selectHugePages, selectRandomPageCost).
 */
export const PGTUNE_SOURCE =
  'PGTune (le0pard/pgtune, configurationSlice.js), web application profile, Linux';

const KB_PER_MB = 1024;
const KB_PER_GB = 1024 * 1024;

/** PGTune's web profile when the admin gives no connection count. */
export const PGTUNE_WEB_MAX_CONNECTIONS = 200;
/** PostgreSQL's default max_worker_processes, which PGTune adds to the connections when no CPU count is given. */
export const PGTUNE_DEFAULT_WORKERS = 8;
/** maintenance_work_mem stops growing here (PGTune's cap for Linux servers). */
export const MAINTENANCE_CAP_KB = 8 * KB_PER_GB;
/** work_mem never goes below this: smaller values spill simple sorts to disk. */
export const WORK_MEM_FLOOR_KB = 4 * KB_PER_MB;
/** From about here huge pages pay off (PGTune turns `huge_pages = try` on). */
export const HUGE_PAGES_FROM_KB = 2 * KB_PER_GB;

export interface PgtuneInput {
  ramKb: number;
  maxConnections?: number;
  /** max_worker_processes (parallel workers also use work_mem). */
  workers?: number;
  ssd?: boolean;
}

export interface PgtuneAdvice {
  sharedBuffersKb: number;
  effectiveCacheSizeKb: number;
  maintenanceWorkMemKb: number;
  workMemKb: number;
  hugePages: 'try' | 'off';
  randomPageCost: number;
  checkpointCompletionTarget: number;
}

/** shared_buffers = RAM / 4. */
export function sharedBuffersKb(ramKb: number): number {
  return Math.floor(ramKb / 4);
}

/** effective_cache_size = 3/4 RAM: what the OS cache and shared_buffers together hold, for the planner. */
export function effectiveCacheSizeKb(ramKb: number): number {
  return Math.floor((ramKb * 3) / 4);
}

/** maintenance_work_mem = RAM / 16, at most 8 GB. */
export function maintenanceWorkMemKb(ramKb: number): number {
  return Math.min(Math.floor(ramKb / 16), MAINTENANCE_CAP_KB);
}

/**
 * work_mem = (RAM − shared_buffers) / ((max_connections + workers) × 3): a query may use several work_mem
 * areas, so three per connection, and shared_buffers is already taken. Never below 4 MB.
 */
export function workMemKb(ramKb: number, maxConnections: number, workers: number): number {
  const value = Math.floor((ramKb - sharedBuffersKb(ramKb)) / ((maxConnections + Math.max(1, workers)) * 3));
  return Math.max(value, WORK_MEM_FLOOR_KB);
}

export function pgtune(input: PgtuneInput): PgtuneAdvice {
  const maxConnections = input.maxConnections ?? PGTUNE_WEB_MAX_CONNECTIONS;
  const workers = input.workers ?? PGTUNE_DEFAULT_WORKERS;
  const shared = sharedBuffersKb(input.ramKb);
  return {
    sharedBuffersKb: shared,
    effectiveCacheSizeKb: effectiveCacheSizeKb(input.ramKb),
    maintenanceWorkMemKb: maintenanceWorkMemKb(input.ramKb),
    workMemKb: workMemKb(input.ramKb, maxConnections, workers),
    hugePages: shared >= HUGE_PAGES_FROM_KB ? 'try' : 'off',
    randomPageCost: input.ssd === false ? 4 : 1.1,
    checkpointCompletionTarget: 0.9,
  };
}
