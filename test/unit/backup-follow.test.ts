import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DumpFollower } from '../../src/tasks/backup/follow.js';
import { StreamWatch } from '../../src/tasks/backup/verify.js';

describe('following a dump as it is written', () => {
  it('hashes exactly what ends up in the file, however the writes and reads interleave', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'follow-'));
    const file = path.join(dir, 'x.sql.partial');
    await fs.writeFile(file, '');
    const seen: number[] = [];
    const follower = new DumpFollower(file, new StreamWatch(['dump complete']), (b) => seen.push(b), 5);
    follower.start();
    const writer = await fs.open(file, 'a');
    const whole: Buffer[] = [];
    for (let i = 0; i < 40; i += 1) {
      const piece = Buffer.from(`${String(i).repeat(1000 + i * 37)}\n`);
      whole.push(piece);
      await writer.write(piece);
      if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 12));
    }
    await writer.write('-- dump complete\n');
    whole.push(Buffer.from('-- dump complete\n'));
    await writer.close();
    const digest = await follower.finish();
    const expected = Buffer.concat(whole);
    expect(digest).toEqual({ sha256: createHash('sha256').update(expected).digest('hex'), sizeBytes: expected.length });
    expect(follower.watch.saw('dump complete')).toBe(true);
    expect(seen.at(-1)).toBe(expected.length);
    expect(seen.length).toBeGreaterThan(1);
    await fs.rm(dir, { recursive: true });
  });
});
