import fs from 'node:fs';
import path from 'node:path';

/**
 * The kernel's socket tables, read from /proc: which socket inode is the client end of a TCP connection
 * (/proc/net/tcp and tcp6), which process holds an inode (/proc/<pid>/fd), and for unix sockets, whose peer
 * inode is whose (only netlink knows that: `ss -x` prints it, see unix-peers.ts).
 */

/** `0100007F:1F90` (IPv4, little-endian words) or the 32-hex-digit IPv6 form → '127.0.0.1:8080' / '::1:8080'. */
export function decodeAddress(hex: string): { address: string; port: number } | null {
  const [ip, port] = hex.split(':');
  if (!ip || !port) return null;
  const portNumber = Number.parseInt(port, 16);
  if (ip.length === 8) return { address: ipv4(ip), port: portNumber };
  if (ip.length !== 32) return null;
  const bytes: number[] = [];
  for (let word = 0; word < 4; word += 1) {
    // Each 32-bit word is printed in host order (little-endian on x86 and arm64).
    const chunk = ip.slice(word * 8, word * 8 + 8);
    for (let b = 3; b >= 0; b -= 1) bytes.push(Number.parseInt(chunk.slice(b * 2, b * 2 + 2), 16));
  }
  // IPv4-mapped (::ffff:a.b.c.d): PostgreSQL shows such clients as a.b.c.d.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { address: bytes.slice(12).join('.'), port: portNumber };
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return { address: compressIpv6(groups), port: portNumber };
}

function ipv4(hex: string): string {
  const parts: number[] = [];
  for (let b = 3; b >= 0; b -= 1) parts.push(Number.parseInt(hex.slice(b * 2, b * 2 + 2), 16));
  return parts.join('.');
}

/** The shortest form, as PostgreSQL's inet output prints it (longest run of zero groups as ::). */
function compressIpv6(groups: string[]): string {
  let best = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j += 1;
    if (j - i > bestLength && j - i > 1) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

export interface TcpSocket {
  local: string;
  localPort: number;
  remote: string;
  remotePort: number;
  inode: number;
}

/** Established connections (state 01) of one /proc/net/tcp-style file; a missing file gives none. */
export function parseTcpTable(text: string): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '01') continue;
    const local = decodeAddress(f[1]);
    const remote = decodeAddress(f[2]);
    if (!local || !remote) continue;
    sockets.push({ local: local.address, localPort: local.port, remote: remote.address, remotePort: remote.port,
      inode: Number(f[9]) });
  }
  return sockets;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export interface TcpEnds {
  /** Client ends of connections to the server port, by the `address:port` PostgreSQL shows for the client. */
  clients: Map<string, number>;
  /** Server ends (a backend's socket inode) → the client's `address:port`. */
  servers: Map<number, string>;
}

/** Both ends of the connections to `serverPort` that this machine holds. */
export function tcpEnds(serverPort: number, proc = '/proc'): TcpEnds {
  const ends: TcpEnds = { clients: new Map(), servers: new Map() };
  for (const table of ['tcp', 'tcp6']) {
    for (const s of parseTcpTable(readOrEmpty(path.join(proc, 'net', table)))) {
      if (s.inode <= 0) continue;
      if (s.remotePort === serverPort) ends.clients.set(`${s.local}:${s.localPort}`, s.inode);
      if (s.localPort === serverPort) ends.servers.set(s.inode, `${s.remote}:${s.remotePort}`);
    }
  }
  return ends;
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/;

/** The socket inodes a process holds open; empty when its fds cannot be read (another user's, or gone). */
export function socketInodesOf(pid: number, proc = '/proc'): number[] {
  const dir = path.join(proc, String(pid), 'fd');
  let fds: string[];
  try {
    fds = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const inodes: number[] = [];
  for (const fd of fds) {
    try {
      const match = SOCKET_LINK.exec(fs.readlinkSync(path.join(dir, fd)));
      if (match) inodes.push(Number(match[1]));
    } catch {
      // closed between readdir and readlink
    }
  }
  return inodes;
}

/**
 * Which process holds each of `wanted` socket inodes: one pass over every process's open files, stopping as
 * soon as all are found. Processes in `skip` (PostgreSQL's own backends) are not looked into.
 */
export function socketOwners(wanted: ReadonlySet<number>, skip: ReadonlySet<number> = new Set(), proc = '/proc'): Map<number, number> {
  const owners = new Map<number, number>();
  if (wanted.size === 0) return owners;
  let entries: string[];
  try {
    entries = fs.readdirSync(proc);
  } catch {
    return owners;
  }
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const pid = Number(entry);
    if (skip.has(pid)) continue;
    for (const inode of socketInodesOf(pid, proc)) {
      if (wanted.has(inode) && !owners.has(inode)) owners.set(inode, pid);
    }
    if (owners.size === wanted.size) break;
  }
  return owners;
}
