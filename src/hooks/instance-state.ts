import type { DatabaseState, InstanceInfo, ServerProcess } from '../tasks/instance/types.js';

/** The live part of an instance, re-read every few seconds while the wizard is open. */
export interface LiveState {
  database: DatabaseState;
  servers: ServerProcess[];
}

export type InstanceState =
  | { status: 'loading' }
  | { status: 'failed'; error: string }
  /** `loadedAt`: when the instance was last read whole (a live check does not change it). */
  | { status: 'ready'; info: InstanceInfo; loadedAt: number; checkedAt: number; liveError?: string };

export type InstanceEvent =
  | { type: 'loading' }
  | { type: 'loaded'; info: InstanceInfo; at: number }
  | { type: 'failed'; error: string }
  | { type: 'live'; live: LiveState; at: number }
  | { type: 'live-failed'; error: string; at: number };

export function instanceReducer(state: InstanceState, event: InstanceEvent): InstanceState {
  switch (event.type) {
    case 'loading':
      return { status: 'loading' };
    case 'loaded':
      return { status: 'ready', info: event.info, loadedAt: event.at, checkedAt: event.at };
    case 'failed':
      return { status: 'failed', error: event.error };
    case 'live':
      if (state.status !== 'ready') return state;
      return {
        status: 'ready',
        info: { ...state.info, database: event.live.database, servers: event.live.servers },
        loadedAt: state.loadedAt,
        checkedAt: event.at,
      };
    case 'live-failed':
      if (state.status !== 'ready') return state;
      return { ...state, checkedAt: event.at, liveError: event.error };
  }
}
