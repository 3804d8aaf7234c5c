import path from 'node:path';
import type { Check, CheckupInputs, MountEntry } from '../types.js';

const MANUAL = 'CATMAID admin manual, Performance tuning › Operating system and infrastructure';
const NETWORK_FS = /^(nfs4?|cifs|smb3?|smbfs|ceph|glusterfs|lustre|gpfs|beegfs|afs|9p|fuse\.(sshfs|glusterfs|ceph|s3fs|rclone|gcsfuse))$/;

/** The mount holding `file`: the longest mount point that contains it (the last one mounted wins on ties). */
export function mountOf(mounts: MountEntry[], file: string): MountEntry | null {
  let best: MountEntry | null = null;
  for (const mount of mounts) {
    const rel = path.relative(mount.mountPoint, file);
    const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    if (inside && (!best || mount.mountPoint.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}

export function isNetworkFs(fsType: string): boolean {
  return NETWORK_FS.test(fsType);
}

/** Users and groups come from LDAP (nsswitch `ldap`) without a local cache (sss caches, nscd caches ldap). */
export function ldapWithoutCache(nsswitch: string | null): boolean {
  if (!nsswitch) return false;
  const line = nsswitch.split('\n').find((l) => /^\s*passwd\s*:/.test(l)) ?? '';
  return /\bldap\b/.test(line) && !/\bsss\b/.test(line);
}

export function fsChecks(inputs: CheckupInputs): Check[] {
  if (!inputs.tilesPath) return [];
  const mount = mountOf(inputs.mounts, inputs.tilesPath);
  if (!mount) {
    return [
      { id: 'fs.noatime', group: 'os', title: 'noatime', status: 'info', current: `${inputs.tilesPath}: mount not found`, suggested: null, why: 'The tiles path is not under any mount in /proc/mounts.', fix: null, source: MANUAL },
    ];
  }
  const opts = mount.options;
  const noatime = opts.includes('noatime');
  const where = `${mount.mountPoint} (${mount.fsType}${mount.device.startsWith('/') ? `, ${mount.device}` : ''})`;
  const checks: Check[] = [
    {
      id: 'fs.noatime',
      group: 'os',
      title: 'noatime',
      status: noatime ? 'ok' : 'warn',
      current: `${where}: ${opts.find((o) => /atime$/.test(o)) ?? 'atime'}`,
      suggested: noatime ? null : 'noatime',
      why: noatime
        ? 'Reading a tile writes no access time.'
        : `${opts.includes('relatime') ? 'relatime still writes an access time once a day per file' : 'Every tile read writes an access time'}; with millions of tiles that is needless writes.`,
      fix: noatime
        ? null
        : { kind: 'manual', text: `mount -o remount,noatime ${mount.mountPoint}\n# and add noatime to its options in /etc/fstab` },
      source: MANUAL,
    },
  ];
  if (isNetworkFs(mount.fsType) || ldapWithoutCache(inputs.nsswitch)) {
    const uncached = ldapWithoutCache(inputs.nsswitch);
    checks.push({
      id: 'fs.ldap',
      group: 'os',
      title: 'LDAP lookups',
      status: uncached ? 'warn' : 'info',
      current: `${where}${isNetworkFs(mount.fsType) ? ' is a network file system' : ''}; passwd from ${uncached ? 'LDAP without a cache' : 'nsswitch as configured'}`,
      suggested: uncached ? 'cache LDAP lookups (sssd or nscd)' : null,
      why:
        'When users and permissions come from LDAP, every file access on the tile server can become an LDAP query ' +
        'unless lookups are cached locally (sssd caches; with nss-ldap run nscd).',
      fix: uncached ? { kind: 'manual', text: 'apt install nscd  # or switch nsswitch.conf to sss with sssd' } : null,
      source: MANUAL,
    });
  }
  return checks;
}
