import { alterSystemFix } from '../sql-text.js';
import { formatBytes } from '../../bytes.js';
import { formatPgMemory, settingKb } from '../units.js';
import type { Check, CheckupInputs } from '../types.js';
import { ramBasis, remoteCaveat } from './memory.js';
import { PGTUNE_SOURCE, pgtune } from './pgtune.js';

interface MemoryRule {
  id: string;
  parameter: string;
  suggestedKb: number;
  /** Accepted range around the suggestion, as factors: outside it the check warns. */
  range: [number, number];
  why: string;
}

function unreachable(id: string, title: string, inputs: CheckupInputs): Check {
  return {
    id,
    group: 'database',
    title,
    status: 'info',
    current: 'unknown',
    suggested: null,
    why: `The database could not be asked (${inputs.postgres.error ?? 'not reachable'}).`,
    fix: null,
    source: PGTUNE_SOURCE,
  };
}

function memoryCheck(rule: MemoryRule, inputs: CheckupInputs, ramText: string): Check {
  const setting = inputs.postgres.settings[rule.parameter];
  const currentKb = settingKb(setting);
  if (currentKb === null) return unreachable(rule.id, rule.parameter, inputs);
  const basis = ramBasis(inputs);
  const inRange = currentKb >= rule.suggestedKb * rule.range[0] && currentKb <= rule.suggestedKb * rule.range[1];
  const suggested = formatPgMemory(rule.suggestedKb);
  const restart = setting?.context === 'postmaster' ? ' (needs a restart of PostgreSQL)' : ' (a reload is enough)';
  return {
    id: rule.id,
    group: 'database',
    title: rule.parameter,
    status: inRange ? 'ok' : basis.basis === 'guess' ? 'info' : 'warn',
    current: formatPgMemory(currentKb),
    suggested: inRange ? null : `${suggested}${suggested.endsWith('kB') ? ` ≈ ${formatBytes(rule.suggestedKb * 1024)}` : ''}  (${ramText})`,
    why: `${rule.why}${inRange ? ' The current value is close enough.' : restart}${remoteCaveat(basis, inputs.dbHost)}`,
    fix: inRange ? null : alterSystemFix(rule.parameter, suggested),
    source: PGTUNE_SOURCE,
  };
}

/** pg.shared_buffers, pg.effective_cache_size, pg.maintenance_work_mem, pg.work_mem: PGTune on this RAM. */
export function postgresMemoryChecks(inputs: CheckupInputs): Check[] {
  const basis = ramBasis(inputs);
  const ids = ['shared_buffers', 'effective_cache_size', 'maintenance_work_mem', 'work_mem'];
  if (!inputs.postgres.reachable) return ids.map((name) => unreachable(`pg.${name}`, name, inputs));
  if (basis.bytes === null) {
    return ids.map((name) => ({ ...unreachable(`pg.${name}`, name, inputs), why: 'RAM unknown: pass --db-ram.' }));
  }
  const ramKb = Math.floor(basis.bytes / 1024);
  const maxConnections = Number(inputs.postgres.settings.max_connections?.setting ?? 100);
  const workers = Number(inputs.postgres.settings.max_worker_processes?.setting ?? 8);
  const advice = pgtune({ ramKb, maxConnections, workers });
  const ram = `RAM ${formatBytes(basis.bytes)}`;
  const rules: MemoryRule[] = [
    {
      id: 'pg.shared_buffers',
      parameter: 'shared_buffers',
      suggestedKb: advice.sharedBuffersKb,
      range: [0.5, 1.6],
      why: 'PostgreSQL\'s own page cache; a quarter of the RAM leaves the rest to the OS cache and the backends.',
    },
    {
      id: 'pg.effective_cache_size',
      parameter: 'effective_cache_size',
      suggestedKb: advice.effectiveCacheSizeKb,
      range: [0.5, 1.34],
      why: 'Tells the planner how much of the data the OS and shared_buffers cache together (3/4 of the RAM); too low and it avoids index scans. It allocates nothing.',
    },
    {
      id: 'pg.maintenance_work_mem',
      parameter: 'maintenance_work_mem',
      suggestedKb: advice.maintenanceWorkMemKb,
      range: [0.5, 2],
      why: 'Memory for VACUUM, CREATE INDEX and catmaid_rebuild_edge_table\'s index builds: RAM / 16, capped at 8 GB.',
    },
    {
      id: 'pg.work_mem',
      parameter: 'work_mem',
      suggestedKb: advice.workMemKb,
      range: [0.5, 2],
      why:
        `Per sort or hash, several per query: (RAM − shared_buffers) / ((max_connections ${maxConnections} + ` +
        `max_worker_processes ${workers}) × 3), at least 4 MB. Too high risks the OOM killer under load.`,
    },
  ];
  return rules.map((rule) => memoryCheck(rule, inputs, `${ram}`));
}
