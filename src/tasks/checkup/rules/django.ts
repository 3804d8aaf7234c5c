import type { Check, CheckupInputs } from '../types.js';
import { rangeText, trendOf } from './conn-trend.js';

const MANUAL = 'CATMAID admin manual, Performance tuning › CATMAID';
const CONN_SOURCE = `${MANUAL}; Django docs, Databases › Persistent connections`;

export const CONN_MAX_AGE_BLOCK = 'checkup-conn-max-age';
export const DEBUG_BLOCK = 'checkup-debug';

function connMaxAgeFix(value: number) {
  const lines = [`DATABASES['default']['CONN_MAX_AGE'] = ${value}`];
  return { kind: 'settings' as const, blockId: CONN_MAX_AGE_BLOCK, lines, text: lines.join('\n') };
}

export function debugCheck(inputs: CheckupInputs): Check {
  const on = inputs.django.debug;
  return {
    id: 'django.debug',
    group: 'django',
    title: 'DEBUG',
    status: on ? 'fail' : 'ok',
    current: on ? 'True' : 'False',
    suggested: on ? 'False' : null,
    why: on
      ? 'DEBUG = True keeps every SQL query of every request in memory, shows tracebacks with settings to anyone and slows CATMAID down.'
      : 'CATMAID runs without debug mode.',
    fix: on ? { kind: 'settings', blockId: DEBUG_BLOCK, lines: ['DEBUG = False'], text: 'DEBUG = False' } : null,
    source: `${MANUAL}; Django docs, Deployment checklist`,
  };
}

export function allowedHostsCheck(inputs: CheckupInputs): Check {
  const hosts = inputs.django.allowedHosts;
  const wildcard = hosts.includes('*');
  const fine = hosts.length > 0 && !wildcard;
  return {
    id: 'django.allowed_hosts',
    group: 'django',
    title: 'ALLOWED_HOSTS',
    status: fine ? 'ok' : hosts.length === 0 ? 'fail' : 'warn',
    current: hosts.length ? hosts.map((h) => `'${h}'`).join(', ') : 'empty',
    suggested: fine ? null : "['<your server name>']",
    why: fine
      ? 'Requests for other host names are refused.'
      : hosts.length === 0
        ? 'With DEBUG = False and no ALLOWED_HOSTS every request is answered with "Bad Request (400)".'
        : "'*' accepts any Host header, which enables host-header attacks on password-reset links and caches.",
    fix: fine ? null : { kind: 'manual', text: "ALLOWED_HOSTS = ['catmaid.example.org']  # in settings.py, your server name" },
    source: `${MANUAL}; Django docs, Settings › ALLOWED_HOSTS`,
  };
}

function ageText(age: number | null): string {
  return age === null ? 'None (forever)' : String(age);
}

/**
 * CONN_MAX_AGE from measured connections: 0 → 60 when the sampled count stays at or below the WSGI threads plus
 * admin sessions; a positive value → 0 when the count keeps growing (connections leak).
 */
export function connMaxAgeCheck(inputs: CheckupInputs): Check {
  const age = inputs.django.connMaxAge;
  const samples = inputs.samples;
  const base = { id: 'django.conn_max_age', group: 'django' as const, title: 'CONN_MAX_AGE', current: ageText(age), source: CONN_SOURCE };
  if (!samples || samples.series.length < 2) {
    return {
      ...base,
      status: 'info',
      suggested: null,
      why: 'Not sampled (--samples 0 or the database was not reachable): advice needs the connection count over time.',
      fix: null,
    };
  }
  const trend = trendOf(samples.series);
  const workers = inputs.workers.count;
  const admin = samples.adminSessions;
  const seen = `sampled ${samples.series.length} × ${samples.intervalSeconds} s: connections ${rangeText(trend)}`;
  const withSeries = { ...base, series: samples.series };
  const persistent = age === null || age > 0;
  if (persistent && trend.growing) {
    return {
      ...withSeries,
      status: 'fail',
      suggested: '0',
      why:
        `${seen}, rising from ${trend.first} to ${trend.last}` +
        (workers !== null ? ` with ${workers} worker thread${workers === 1 ? '' : 's'}` : '') +
        '. Connections are opened and never closed (greenlet workers keep them per greenlet): set CONN_MAX_AGE back to 0 before max_connections runs out.',
      fix: connMaxAgeFix(0),
    };
  }
  if (workers === null) {
    return { ...withSeries, status: 'info', suggested: null, why: `${seen}. No WSGI workers found (${inputs.workers.detail}); pass --workers N.`, fix: null };
  }
  const bound = workers + admin;
  const within = trend.max <= bound;
  const who = `${workers} worker thread${workers === 1 ? '' : 's'}${admin ? ` + ${admin} admin session${admin === 1 ? '' : 's'}` : ''}`;
  if (!persistent) {
    // With CONN_MAX_AGE 0 the count swings with the requests in flight; what matters is its ceiling.
    const advise = within && !trend.growing;
    return {
      ...withSeries,
      status: advise ? 'warn' : 'info',
      suggested: advise ? '60' : null,
      why: advise
        ? `${seen}, at most ${who}, and not growing. Each request opens a new connection while CONN_MAX_AGE is 0; with 60 each worker keeps one for a minute. Watch the count afterwards: it must stay near ${bound}.`
        : `${seen}, more than ${who} or growing: keep 0 until the count is understood (other clients of the role?).`,
      fix: advise ? connMaxAgeFix(60) : null,
    };
  }
  return {
    ...withSeries,
    status: within ? 'ok' : 'warn',
    suggested: null,
    why: within
      ? `${seen}, at most ${who}: persistent connections are reused as they should be.`
      : `${seen}, more than ${who} but not growing: check the worker count (--workers) and other clients of the role.`,
    fix: null,
  };
}

export function djangoChecks(inputs: CheckupInputs): Check[] {
  return [debugCheck(inputs), allowedHostsCheck(inputs), connMaxAgeCheck(inputs)];
}
