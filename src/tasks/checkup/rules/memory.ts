import { formatBytes } from '../../bytes.js';
import type { Check, CheckupInputs } from '../types.js';

/** Whose RAM the memory advice is computed from. */
export interface RamBasis {
  bytes: number | null;
  /** `db-ram`: given with --db-ram; `local`: this host, which runs the database; `guess`: this host, but the
   * database runs elsewhere, so the advice is only a guess. */
  basis: 'db-ram' | 'local' | 'guess' | 'none';
}

export function ramBasis(inputs: CheckupInputs): RamBasis {
  if (inputs.dbRamBytes) return { bytes: inputs.dbRamBytes, basis: 'db-ram' };
  if (!inputs.memory) return { bytes: null, basis: 'none' };
  return { bytes: inputs.memory.totalBytes, basis: inputs.dbLocal ? 'local' : 'guess' };
}

/** The caveat every memory-based check repeats when it had to use this machine's RAM for a remote database. */
export function remoteCaveat(basis: RamBasis, host: string): string {
  return basis.basis === 'guess'
    ? ` PostgreSQL runs on ${host}, not here: this used this machine's RAM; give the database host's with --db-ram.`
    : '';
}

export function memoryChecks(inputs: CheckupInputs): Check[] {
  const basis = ramBasis(inputs);
  const source = 'systeminformation (/proc/meminfo); CATMAID admin manual, Performance tuning';
  if (!inputs.memory && basis.basis !== 'db-ram') {
    return [
      {
        id: 'mem.ram',
        group: 'os',
        title: 'RAM',
        status: 'info',
        current: 'unknown',
        suggested: null,
        why: 'The memory of this machine could not be read, so no memory-based advice is given.',
        fix: null,
        source,
      },
    ];
  }
  const here = inputs.memory
    ? `${formatBytes(inputs.memory.totalBytes)} total, ${formatBytes(inputs.memory.availableBytes)} available`
    : 'not read';
  let why: string;
  let status: Check['status'] = 'ok';
  if (basis.basis === 'db-ram') {
    why = `Memory advice uses the database host's RAM given with --db-ram (${formatBytes(basis.bytes ?? 0)}).`;
  } else if (basis.basis === 'guess') {
    status = 'warn';
    why =
      `PostgreSQL runs on ${inputs.dbHost}, not on this machine, and PGTune's rules need the database host's RAM. ` +
      'The memory advice below used this machine\'s RAM instead; run again with --db-ram SIZE (e.g. --db-ram 64GB).';
  } else {
    why = 'PostgreSQL runs on this machine: its RAM is what shared_buffers and the other memory settings share.';
  }
  return [
    {
      id: 'mem.ram',
      group: 'os',
      title: 'RAM',
      status,
      current: here,
      suggested: basis.basis === 'guess' ? '--db-ram <database host RAM>' : null,
      why,
      fix: basis.basis === 'guess' ? { kind: 'manual', text: 'catmaid-tui checkup --db-ram 64GB' } : null,
      source,
    },
  ];
}
