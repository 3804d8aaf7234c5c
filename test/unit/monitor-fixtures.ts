import type { Session } from '../../src/tasks/monitor/types.js';

/** A session with every field set to a quiet default. */
export const session = (over: Partial<Session>): Session => ({
  pid: 1, user: 'catmaid', app: '', client: '127.0.0.1', clientPort: 40000, database: 'catmaid', state: 'idle',
  waitEventType: null, waitEvent: null, xactAge: null, queryAge: 1, backendAge: 10, query: 'SELECT 1', blockedBy: [],
  xminAge: null, process: null, ...over,
});
