import type { DurationMode } from '../../tasks/monitor/filter.js';

/**
 * How the Monitor screen starts (`monitor --interval`, `--all-databases`, `--filter`, `--min-duration`,
 * `--duration` set it). A module of its own, without ink, so the command can set it before the wizard loads ink.
 */
export const monitorDefaults: { intervalMs: number; allDatabases: boolean; filter: string; minDuration: number; mode: DurationMode } = {
  intervalMs: 1000, allDatabases: false, filter: '', minDuration: 0, mode: 'query',
};
