import fs from 'node:fs/promises';
import path from 'node:path';
import type { DiskFacts } from '../types.js';

/**
 * Is the disk under `dir` rotational? stat gives the device number; /sys/dev/block/MAJ:MIN is the partition
 * or the disk (LVM and dm devices report their own flag); a partition's flag lives on its parent disk.
 */
export async function diskOf(dir: string | null, sys = '/sys'): Promise<DiskFacts> {
  if (!dir) return { rotational: null, device: null };
  try {
    const { dev } = await fs.stat(dir);
    const major = Math.floor(dev / 256) & 0xfff;
    const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    const node = await fs.realpath(path.join(sys, 'dev', 'block', `${major}:${minor}`));
    for (const candidate of [node, path.dirname(node)]) {
      const flag = await fs.readFile(path.join(candidate, 'queue', 'rotational'), 'utf8').catch(() => null);
      if (flag !== null) return { rotational: flag.trim() === '1', device: path.basename(candidate) };
    }
  } catch {
    // overlay or network file systems have no block device
  }
  return { rotational: null, device: null };
}

export interface LocalCluster {
  dataDir: string;
  /** The first socket directory, empty when the cluster listens on TCP only. */
  socketDir: string;
}

/**
 * The local cluster listening on `port`, found through the postmasters' `-D dir` arguments and each data
 * directory's postmaster.pid (line 4 the port, line 5 the socket directory). Needs read access to the data
 * directory (root or the cluster's owner); for when pg_settings hides data_directory from a non-superuser.
 */
export async function localCluster(port: number, proc = '/proc'): Promise<LocalCluster | null> {
  for (const entry of await fs.readdir(proc).catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = (await fs.readFile(path.join(proc, entry, 'cmdline'), 'utf8').catch(() => '')).split('\0');
    if (!argv[0] || !/(^|\/)(postgres|postmaster)$/.test(argv[0])) continue;
    const d = argv.indexOf('-D');
    if (d < 0 || !argv[d + 1]) continue;
    const pidFile = await fs.readFile(path.join(argv[d + 1], 'postmaster.pid'), 'utf8').catch(() => '');
    const lines = pidFile.split('\n');
    if (Number(lines[3]) === port) return { dataDir: lines[1] || argv[d + 1], socketDir: lines[4] ?? '' };
  }
  return null;
}
