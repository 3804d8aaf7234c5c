import fs from 'node:fs/promises';
import type { KernelFacts, MemoryFacts, MountEntry } from '../types.js';

/** Total and available RAM of this machine. */
export async function readMemory(): Promise<MemoryFacts | null> {
  try {
    // Loaded here, not at start-up: systeminformation is the largest module of the bundle (~0.8 MB).
    const { default: si } = await import('systeminformation');
    const mem = await si.mem();
    return { totalBytes: mem.total, availableBytes: mem.available };
  } catch {
    return null;
  }
}

async function readNumber(file: string): Promise<number | null> {
  try {
    const value = Number((await fs.readFile(file, 'utf8')).trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

export async function readKernel(proc = '/proc'): Promise<KernelFacts> {
  const [shmmax, shmall, nrHugepages, meminfo] = await Promise.all([
    readNumber(`${proc}/sys/kernel/shmmax`),
    readNumber(`${proc}/sys/kernel/shmall`),
    readNumber(`${proc}/sys/vm/nr_hugepages`),
    fs.readFile(`${proc}/meminfo`, 'utf8').catch(() => ''),
  ]);
  const huge = /^Hugepagesize:\s+(\d+)\s*kB/m.exec(meminfo);
  return { shmmax, shmall, pageSize: 4096, nrHugepages, hugepageSizeKb: huge ? Number(huge[1]) : null };
}

/** /proc/mounts escapes blanks and backslashes as octal (\040). */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMounts(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const [device, mountPoint, fsType, options] = line.split(/\s+/);
      return { device: unescapeMount(device), mountPoint: unescapeMount(mountPoint), fsType, options: (options ?? '').split(',') };
    });
}

export async function readMounts(file = '/proc/mounts'): Promise<MountEntry[]> {
  return parseMounts(await fs.readFile(file, 'utf8').catch(() => ''));
}

export async function readNsswitch(file = '/etc/nsswitch.conf'): Promise<string | null> {
  return fs.readFile(file, 'utf8').catch(() => null);
}

/** The tiles path as the mounts see it (symlinks resolved); the path itself when it cannot be resolved. */
export async function resolveTilesPath(dir: string | undefined): Promise<string | null> {
  if (!dir) return null;
  return fs.realpath(dir).catch(() => dir);
}
