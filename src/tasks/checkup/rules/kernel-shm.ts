import { formatBytes } from '../../bytes.js';
import { settingKb, formatPgMemory } from '../units.js';
import type { Check, CheckupInputs } from '../types.js';
import { ramBasis } from './memory.js';
import { HUGE_PAGES_FROM_KB, sharedBuffersKb } from './pgtune.js';

const SHM_SOURCE =
  'PostgreSQL docs, 19.4 Managing Kernel Resources (Shared Memory and Semaphores; Linux Huge Pages)';
const OLD_PAGE_SHMMAX =
  'The admin manual says to raise kernel.shmmax to about 25% of RAM. That is obsolete: since PostgreSQL 9.3 ' +
  'shared_buffers lives in anonymous mmap memory and only a tiny System V segment is used, so shmmax/shmall ' +
  'no longer limit it (unless shared_memory_type = sysv). Huge pages are what matters for large buffers.';

/** PostgreSQL's main shared memory, plus some headroom for its other shared structures. */
function estimatedHugePages(sharedKb: number, hugepageKb: number): number {
  return Math.ceil((sharedKb * 1.05 + 64 * 1024) / hugepageKb);
}

export function kernelChecks(inputs: CheckupInputs): Check[] {
  const { kernel, postgres } = inputs;
  const type = postgres.settings.shared_memory_type?.setting ?? 'mmap';
  const sharedKb = settingKb(postgres.settings.shared_buffers);
  const checks: Check[] = [];

  // Current kernels default both to nearly 2^64: "unlimited" says it better than an exabyte count.
  const huge = (n: number | null, text: (n: number) => string) => (n === null ? '?' : n >= 2 ** 53 ? 'unlimited' : text(n));
  const shmText = kernel
    ? `shmmax ${huge(kernel.shmmax, formatBytes)}, shmall ${huge(kernel.shmall, (n) => `${n} pages`)}, shared_memory_type ${type}`
    : `shared_memory_type ${type}`;
  const shmBytes = kernel?.shmmax ?? null;
  const sysvShort = type === 'sysv' && sharedKb !== null && shmBytes !== null && shmBytes < sharedKb * 1024 * 1.05;
  checks.push({
    id: 'kernel.shm',
    group: 'os',
    title: 'kernel.shmmax',
    status: sysvShort ? 'fail' : 'ok',
    current: shmText,
    suggested: sysvShort ? `shared_memory_type = mmap (or shmmax ≥ ${formatBytes((sharedKb ?? 0) * 1024 * 1.05)})` : null,
    why: sysvShort
      ? 'shared_memory_type = sysv puts shared_buffers in System V memory, which kernel.shmmax limits: PostgreSQL ' +
        'will not start with more shared_buffers than that. The default, mmap, has no such limit.'
      : type === 'sysv'
        ? 'shared_memory_type = sysv: shared_buffers is System V memory and fits under kernel.shmmax.'
        : 'Not limiting: PostgreSQL ≥ 9.3 allocates shared_buffers with mmap; shmmax/shmall only bound a small ' +
          'System V segment, and Linux defaults are far above it. Nothing to raise.',
    fix: sysvShort ? { kind: 'alter-system', parameter: 'shared_memory_type', value: 'mmap', text: "ALTER SYSTEM SET shared_memory_type = 'mmap';" } : null,
    source: SHM_SOURCE,
    differsFromOldPage: OLD_PAGE_SHMMAX,
  });

  const ram = ramBasis(inputs).bytes;
  const targetKb = Math.max(sharedKb ?? 0, ram ? sharedBuffersKb(Math.floor(ram / 1024)) : 0);
  const hugeKb = kernel?.hugepageSizeKb ?? 2048;
  const setting = postgres.settings.huge_pages?.setting ?? 'try';
  if (targetKb < HUGE_PAGES_FROM_KB) {
    checks.push({
      id: 'kernel.hugepages',
      group: 'os',
      title: 'huge pages',
      status: 'ok',
      current: `vm.nr_hugepages ${kernel?.nrHugepages ?? '?'}, huge_pages ${setting}`,
      suggested: null,
      why: `shared_buffers stays below ${formatPgMemory(HUGE_PAGES_FROM_KB)} here; huge pages only pay off above that.`,
      fix: null,
      source: SHM_SOURCE,
    });
    return checks;
  }
  const exact = postgres.hugePagesNeeded !== null && sharedKb !== null && sharedKb >= targetKb;
  const needed = exact ? (postgres.hugePagesNeeded as number) : estimatedHugePages(targetKb, hugeKb);
  const have = kernel?.nrHugepages ?? 0;
  const fine = have >= needed && setting !== 'off';
  const how = exact
    ? 'as PostgreSQL reports it (SHOW shared_memory_size_in_huge_pages)'
    : `estimated for shared_buffers ${formatBytes(targetKb * 1024)}; after a restart, \`postgres -C shared_memory_size_in_huge_pages\` (server stopped) or SHOW on PostgreSQL ≥ 15 gives the exact count`;
  checks.push({
    id: 'kernel.hugepages',
    group: 'os',
    title: 'huge pages',
    status: fine ? 'ok' : 'warn',
    current: `vm.nr_hugepages ${have} (${hugeKb} kB pages), huge_pages ${setting}`,
    suggested: fine ? null : `vm.nr_hugepages = ${needed}`,
    why:
      `shared_buffers of ${formatBytes(targetKb * 1024)} in 4 kB pages costs every backend large page tables; huge pages ` +
      `cut that and TLB misses. PostgreSQL needs ${needed} huge pages (${how}).` +
      (setting === 'off' ? ' huge_pages is off: set it to try.' : ''),
    fix: fine
      ? null
      : {
          kind: 'manual',
          text:
            `echo 'vm.nr_hugepages = ${needed}' > /etc/sysctl.d/60-postgresql-hugepages.conf && sysctl --system` +
            (setting === 'off' ? `\nALTER SYSTEM SET huge_pages = 'try';  -- then restart PostgreSQL` : '\n# then restart PostgreSQL'),
        },
    source: `${SHM_SOURCE}; PGTune (huge_pages = try from 2 GB shared_buffers)`,
    differsFromOldPage: 'The admin manual does not mention huge pages; it predates PostgreSQL\'s mmap allocation.',
  });
  return checks;
}
