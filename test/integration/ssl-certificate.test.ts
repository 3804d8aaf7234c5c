import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, RefusedError, UsageError } from '../../src/tasks/errors.js';
import { checkCertificate, checkCertificateFiles, refuseFailedChecks, type Check } from '../../src/tasks/ssl/certificate.js';
import { createSelfSigned } from '../../src/tasks/ssl/self-signed.js';
import { makeCaAndLeaf, openssl, tempDir } from './ssl-fixtures.js';

const NAME = 'catmaid.example.org';
let dir: string;
const at = (file: string) => path.join(dir, file);
const read = (file: string) => fs.readFile(at(file), 'utf8');
const level = (checks: Check[], id: Check['id']) => checks.find((c) => c.id === id)?.level;

beforeAll(async () => {
  dir = await tempDir('ssl-cert');
  await makeCaAndLeaf(dir, NAME);
  await fs.writeFile(at('chain.crt'), (await read('leaf.crt')) + (await read('ca.crt')));
  await fs.writeFile(at('reversed.crt'), (await read('ca.crt')) + (await read('leaf.crt')));
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-aes-128-cbc', '-pass', 'pass:secret', '-out', 'locked.key'], dir);
  await fs.chmod(at('leaf.key'), 0o600);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('certificate checks before anything is written', () => {
  it('accept a CA-signed certificate with its chain in order', async () => {
    const report = await checkCertificateFiles(at('chain.crt'), at('leaf.key'), NAME);
    expect(report.checks.map((c) => [c.id, c.level])).toEqual([
      ['key', 'ok'],
      ['dates', 'ok'],
      ['names', 'ok'],
      ['chain', 'ok'],
    ]);
    expect(report.chainLength).toBe(2);
    expect(report.names).toEqual([`DNS:${NAME}`]);
    expect(report.daysLeft).toBeGreaterThanOrEqual(29);
    expect(() => refuseFailedChecks(report)).not.toThrow();
  });

  it('refuse (exit 3) a key that belongs to another certificate', async () => {
    const report = await checkCertificateFiles(at('chain.crt'), at('ca.key'), NAME);
    expect(level(report.checks, 'key')).toBe('fail');
    const err = (() => {
      try {
        refuseFailedChecks(report);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).exitCode).toBe(EXIT.refused);
    expect((err as RefusedError).message).toMatch(/key does not belong/);
  });

  it('refuse a chain in the wrong order and a name the certificate does not cover', async () => {
    const reversed = await checkCertificateFiles(at('reversed.crt'), at('ca.key'), 'Test CA');
    expect(reversed.checks.find((c) => c.id === 'chain')).toMatchObject({ level: 'fail', message: expect.stringMatching(/certificate 1 \(Test CA\) is not issued by the next one/) });
    const other = await checkCertificateFiles(at('chain.crt'), at('leaf.key'), 'other.example.org');
    expect(other.checks.find((c) => c.id === 'names')).toMatchObject({ level: 'fail', message: `does not cover other.example.org (it names DNS:${NAME})` });
  });

  it('warn under 21 days, refuse when expired or not yet valid', async () => {
    const pem = await read('leaf.crt');
    const key = createPrivateKey(await read('leaf.key'));
    const validTo = new Date(checkCertificate(pem, key, NAME).validTo);
    const day = 86_400_000;
    expect(level(checkCertificate(pem, key, NAME, new Date(validTo.getTime() - 10 * day)).checks, 'dates')).toBe('warn');
    expect(level(checkCertificate(pem, key, NAME, new Date(validTo.getTime() - 25 * day)).checks, 'dates')).toBe('ok');
    expect(checkCertificate(pem, key, NAME, new Date(validTo.getTime() + day)).checks.find((c) => c.id === 'dates')?.message).toMatch(/^expired on/);
    expect(level(checkCertificate(pem, key, NAME, new Date(Date.now() - 3 * day)).checks, 'dates')).toBe('fail');
  });

  it('treat unreadable inputs as bad usage (exit 2): missing file, passphrase key, not a certificate', async () => {
    await expect(checkCertificateFiles(at('nope.crt'), at('leaf.key'), NAME)).rejects.toThrow(/--cert .*no such file/);
    await expect(checkCertificateFiles(at('leaf.crt'), at('locked.key'), NAME)).rejects.toMatchObject({ exitCode: EXIT.usage, message: expect.stringMatching(/passphrase/) });
    await expect(checkCertificateFiles(at('leaf.key'), at('leaf.key'), NAME)).rejects.toBeInstanceOf(UsageError);
  });

  it('warn about a key file others can read', async () => {
    await fs.copyFile(at('leaf.key'), at('open.key'));
    await fs.chmod(at('open.key'), 0o644);
    const report = await checkCertificateFiles(at('leaf.crt'), at('open.key'), NAME);
    expect(report.checks.find((c) => c.id === 'key-mode')).toMatchObject({ level: 'warn', message: expect.stringMatching(/chmod 600/) });
  });
});

describe('--self-signed', () => {
  it('makes a 0600 key and a certificate for the name, that pass the checks with a self-signed warning', async () => {
    const files = { certificate: at('self/catmaid.crt'), key: at('self/catmaid.key') };
    await createSelfSigned(NAME, files);
    expect((await fs.stat(files.key)).mode & 0o777).toBe(0o600);
    const report = await checkCertificateFiles(files.certificate, files.key, NAME);
    expect(report.checks.filter((c) => c.level === 'fail')).toEqual([]);
    expect(level(report.checks, 'self-signed')).toBe('warn');
    expect(report.daysLeft).toBeGreaterThanOrEqual(364);
  });

  it('never overwrites an existing key or certificate', async () => {
    const files = { certificate: at('chain.crt'), key: at('fresh.key') };
    const before = await read('chain.crt');
    await expect(createSelfSigned(NAME, files)).rejects.toMatchObject({ exitCode: EXIT.refused });
    expect(await read('chain.crt')).toBe(before);
    await expect(fs.stat(files.key)).rejects.toThrow();
  });
});
