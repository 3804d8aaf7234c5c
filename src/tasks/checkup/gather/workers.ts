import { findWorkers } from '../../monitor/workers.js';
import type { WorkerFacts } from '../types.js';

/** WSGI worker threads: --workers when given, else counted in the process table (the monitor's rule). */
export function readWorkers(root: string, option?: number): WorkerFacts {
  if (option !== undefined) return { count: option, source: 'option', detail: `--workers ${option}` };
  const found = findWorkers(root);
  if (found.workers === null) return { count: null, source: 'none', detail: 'no uwsgi/gunicorn/daphne/runserver process serves this instance' };
  const kinds = found.kinds.join('/');
  const threads = found.threads > 1 ? ` × ${found.threads} threads` : '';
  return { count: found.workers, source: 'processes', detail: `${kinds}: ${found.processes} worker process${found.processes === 1 ? '' : 'es'}${threads}` };
}
