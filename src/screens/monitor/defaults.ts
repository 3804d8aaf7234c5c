/**
 * How the Monitor screen starts (`monitor --interval`, `--all-databases` set it). A module of its own, without
 * ink, so the command can set it before the wizard loads ink.
 */
export const monitorDefaults = { intervalMs: 1000, allDatabases: false };
