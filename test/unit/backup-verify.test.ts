import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestPath, plainDumpComplete, StreamWatch } from '../../src/tasks/backup/verify.js';

const END = '--\n-- PostgreSQL database dump complete\n--\n\n';

describe('a plain dump is complete', () => {
  it('when the marker ends it, as older pg_dump writes it', () => {
    expect(plainDumpComplete(`COPY public.x (id) FROM stdin;\n1\n\\.\n\n${END}`)).toBe(true);
  });

  it('when only \\unrestrict follows the marker, as newer pg_dump writes it', () => {
    expect(plainDumpComplete(`SET x;\n${END}\\unrestrict AbC123\n\n`)).toBe(true);
  });

  it('not when it was cut off in the middle of the data', () => {
    expect(plainDumpComplete('COPY public.treenode (id) FROM stdin;\n1\n2\n')).toBe(false);
  });

  it('not when the marker only shows up inside row data', () => {
    expect(plainDumpComplete('COPY public.note (t) FROM stdin;\n-- PostgreSQL database dump complete\n42\n')).toBe(false);
  });
});

describe('watching a dump stream', () => {
  it('keeps the tail and notices strings that straddle chunks', () => {
    const watch = new StreamWatch(['\nCOPY public.treenode_edge ('], 16);
    watch.push(Buffer.from('xxxxxxxx\nCOPY publ'));
    watch.push(Buffer.from('ic.treenode_edge (id) FROM stdin;\nEND'));
    expect(watch.saw('\nCOPY public.treenode_edge (')).toBe(true);
    expect(watch.tailText()).toBe('(id) FROM stdin;\nEND'.slice(-16));
  });

  it('finds a string fed to it one byte at a time, and keeps only the tail', () => {
    const text = `${'x'.repeat(100)}\n-- PostgreSQL database dump complete\n`;
    const watch = new StreamWatch(['-- PostgreSQL database dump complete', 'never there'], 20);
    for (const byte of Buffer.from(text)) watch.push(Buffer.from([byte]));
    expect(watch.saw('-- PostgreSQL database dump complete')).toBe(true);
    expect(watch.saw('never there')).toBe(false);
    expect(watch.tailText()).toBe(text.slice(-20));
  });
});

describe('digest of a dump', () => {
  it('covers a directory dump file by file, so a changed or renamed file changes it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'digest-'));
    await fs.writeFile(path.join(dir, 'toc.dat'), 'toc');
    await fs.writeFile(path.join(dir, '3001.dat.gz'), 'rows');
    const first = await digestPath(dir);
    expect(first.sizeBytes).toBe(7);
    await fs.rename(path.join(dir, '3001.dat.gz'), path.join(dir, '3002.dat.gz'));
    expect((await digestPath(dir)).sha256).not.toBe(first.sha256);
    await fs.rm(dir, { recursive: true });
  });

  it('of a file is its plain sha256', async () => {
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'digest-')), 'a.sql');
    await fs.writeFile(file, 'abc');
    expect((await digestPath(file)).sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    await fs.rm(path.dirname(file), { recursive: true });
  });
});
