import { alterSystemFix } from '../sql-text.js';
import type { Check, CheckupInputs } from '../types.js';
import { PGTUNE_SOURCE } from './pgtune.js';

const MANUAL = 'CATMAID admin manual, Performance tuning › Database management system';

function setting(inputs: CheckupInputs, name: string): string | undefined {
  return inputs.postgres.settings[name]?.setting;
}

/** pg.random_page_cost from the data directory's disk (SSD 1.1, spinning 4). */
export function randomPageCostCheck(inputs: CheckupInputs): Check | null {
  const value = setting(inputs, 'random_page_cost');
  if (value === undefined) return null;
  const current = Number(value);
  const { rotational, device } = inputs.disk;
  const base = { id: 'pg.random_page_cost', group: 'database' as const, title: 'random_page_cost', current: value, source: PGTUNE_SOURCE };
  if (rotational === null) {
    return {
      ...base,
      status: 'info',
      suggested: null,
      why:
        'The data directory\'s disk could not be examined (remote database or no access to data_directory). ' +
        'On SSD or NVMe set 1.1 (random reads cost little more than sequential ones); on spinning disks keep 4.',
      fix: null,
    };
  }
  const want = rotational ? 4 : 1.1;
  const fine = rotational ? current >= 3 : current <= 2;
  const disk = `${device ?? 'the data directory\'s disk'} is ${rotational ? 'a spinning disk' : 'an SSD (not rotational)'}`;
  return {
    ...base,
    status: fine ? 'ok' : 'warn',
    suggested: fine ? null : String(want),
    why: `${disk}. ${rotational ? 'Random reads are expensive there: 4.' : 'Random reads cost little more than sequential ones: 1.1 lets the planner use indexes.'} Applies after a reload.`,
    fix: fine ? null : alterSystemFix('random_page_cost', String(want)),
  };
}

export function checkpointCheck(inputs: CheckupInputs): Check | null {
  const value = setting(inputs, 'checkpoint_completion_target');
  if (value === undefined) return null;
  const fine = Number(value) >= 0.9;
  return {
    id: 'pg.checkpoint_completion_target',
    group: 'database',
    title: 'checkpoint_completion_target',
    status: fine ? 'ok' : 'warn',
    current: value,
    suggested: fine ? null : '0.9',
    why: 'Spreads checkpoint writes over 90% of the interval instead of bursts that stall tracing (default 0.9 since PostgreSQL 14).',
    fix: fine ? null : alterSystemFix('checkpoint_completion_target', '0.9'),
    source: PGTUNE_SOURCE,
  };
}

/** CATMAID's spatial queries have unreliable cost estimates; JIT then slows them down. */
export function jitCheck(inputs: CheckupInputs): Check | null {
  const jit = setting(inputs, 'jit');
  const above = setting(inputs, 'jit_above_cost');
  if (jit === undefined || above === undefined) return null;
  const fine = jit === 'off' || Number(above) >= 1_000_000 || Number(above) < 0;
  return {
    id: 'pg.jit',
    group: 'database',
    title: 'jit_above_cost',
    status: fine ? 'ok' : 'warn',
    current: `jit ${jit}, jit_above_cost ${above}`,
    suggested: fine ? null : '1000000',
    why: 'JIT compilation of CATMAID\'s spatial queries, whose cost estimates are often too high, costs more than it saves; raising the threshold makes it rare.',
    fix: fine ? null : alterSystemFix('jit_above_cost', '1000000'),
    source: `${MANUAL}; PGTune turns jit off for web applications`,
  };
}
