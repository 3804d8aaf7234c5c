import fs from 'node:fs/promises';
import path from 'node:path';

/** A fake MTA on PATH: records its arguments and the message it was given. */
export async function fakeSendmail(dir: string): Promise<{ bin: string; record: string }> {
  const bin = path.join(dir, 'bin');
  const record = path.join(dir, 'sent');
  await fs.mkdir(bin, { recursive: true });
  await fs.mkdir(record, { recursive: true });
  await fs.writeFile(
    path.join(bin, 'sendmail'),
    `#!/bin/sh\nn=$(date +%s%N)\nprintf '%s\\n' "$@" > "${record}/$n.args"\ncat > "${record}/$n.mail"\n`,
    { mode: 0o755 },
  );
  return { bin, record };
}

export async function sentMails(record: string): Promise<{ args: string[]; text: string }[]> {
  const names = (await fs.readdir(record)).filter((n) => n.endsWith('.mail')).sort();
  return Promise.all(
    names.map(async (n) => ({
      args: (await fs.readFile(path.join(record, n.replace(/\.mail$/, '.args')), 'utf8')).trim().split('\n'),
      text: await fs.readFile(path.join(record, n), 'utf8'),
    })),
  );
}
