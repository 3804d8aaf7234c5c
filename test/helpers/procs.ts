import fs from 'node:fs';

/** A process as /proc shows it to anyone on the machine. */
export interface Proc {
  pid: number;
  ppid: number;
  argv: string[];
}

function readProc(pid: number): Proc | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    return { pid, ppid, argv };
  } catch {
    return null;
  }
}

/** Every process now running. */
export function processes(): Proc[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== null);
}

/** The children of `parent` whose program's file name is `program` (e.g. psql, pg_restore). */
export function childrenNamed(parent: number, program: string): Proc[] {
  return processes().filter((p) => p.ppid === parent && (p.argv[0] ?? '').split('/').at(-1) === program);
}

export const alive = (pid: number): boolean => fs.existsSync(`/proc/${pid}`) && !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** Poll `look` every 50 ms until it gives a value; fail after `ms`. */
export async function until<T>(look: () => T | undefined | Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await look();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
