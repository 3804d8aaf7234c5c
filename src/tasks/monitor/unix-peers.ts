import { execa } from 'execa';

/**
 * Unix-socket sessions: PostgreSQL shows them without an address (client_port -1), and /proc/net/unix has no
 * peers. The kernel tells peers over netlink only, which `ss -x` (iproute2, on every Debian and Ubuntu) asks
 * for us: each connected socket of the server's `.s.PGSQL.<port>` with the inode of its client end.
 */
export interface UnixPair {
  /** The server end, held by a PostgreSQL backend. */
  server: number;
  /** The client end, held by the client process. */
  client: number;
}

// `u_str ESTAB 0 0 /run/postgresql/.s.PGSQL.5432 52492 * 51884`; the path may hold spaces, so read from the end.
const LINE = /^u_str\s+ESTAB\s+\d+\s+\d+\s+(.+?)\s+(\d+)\s+\S+\s+(\d+)\s*$/;

/** The pairs of sockets connected to PostgreSQL's socket file for `port`, from `ss -xn` output. */
export function parseUnixPairs(text: string, port: number): UnixPair[] {
  const suffix = `/.s.PGSQL.${port}`;
  const pairs: UnixPair[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line.trim());
    if (match && match[1].endsWith(suffix)) pairs.push({ server: Number(match[2]), client: Number(match[3]) });
  }
  return pairs;
}

/** Ask the kernel now; none when `ss` is missing or fails (the sessions stay unlabelled, nothing breaks). */
export async function unixPairs(port: number): Promise<UnixPair[]> {
  const result = await execa('ss', ['-xn'], { reject: false, timeout: 3000, env: { LC_ALL: 'C' } });
  if (result.exitCode !== 0) return [];
  return parseUnixPairs(String(result.stdout), port);
}
