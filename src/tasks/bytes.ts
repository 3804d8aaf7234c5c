/**
 * Sizes as PostgreSQL's pg_size_pretty writes them (1024-based, `kB`, `MB`, `GB`, `TB`), so a figure on screen
 * reads the same as the one an admin gets from psql: one decimal below 100, none above or for whole numbers.
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 || unit === 0 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
