import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, rememberInstance } from '../../src/tasks/config.js';
import { locateInstance, locateInstances } from '../../src/tasks/instance/locate.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'locate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function checkout(name: string): string {
  const root = path.join(tmp, name);
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  fs.mkdirSync(path.join(root, 'django', 'projects'), { recursive: true });
  return root;
}

const noConfig = path.join(tmp, 'none', 'config.json');

describe('finding the instance to work on', () => {
  const a = checkout('a');
  const b = checkout('b');

  it('takes --catmaid-dir first, then CATMAID_DIR, then the checkout around the current directory', async () => {
    const env = { CATMAID_DIR: b };
    expect((await locateInstance({ catmaidDir: a, env, configFile: noConfig })).root).toBe(a);
    expect((await locateInstance({ env, cwd: a, configFile: noConfig })).root).toBe(b);
    const found = await locateInstance({ env: {}, cwd: path.join(a, 'django', 'projects'), configFile: noConfig });
    expect(found).toMatchObject({ root: a, via: 'cwd', name: 'a' });
  });

  it('says clearly what is wrong with a bad --catmaid-dir (a usage error, exit 2)', async () => {
    await expect(locateInstance({ catmaidDir: path.join(tmp, 'nope'), env: {} })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('no such directory'),
    });
    fs.mkdirSync(path.join(tmp, 'plain'));
    await expect(locateInstance({ catmaidDir: path.join(tmp, 'plain'), env: {} })).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('not a CATMAID checkout (no django/ folder)'),
    });
  });

  it('falls back to the config; several instances need a name, the wizard gets them all', async () => {
    const file = path.join(tmp, 'cfg', 'config.json');
    await rememberInstance('one', { root: a }, file);
    await rememberInstance('two', { root: b, backupDir: '/var/backups/two' }, file);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    const options = { env: {}, cwd: tmp, configFile: file };
    expect((await locateInstances(options)).map((i) => i.name)).toEqual(['one', 'two']);
    await expect(locateInstance(options)).rejects.toThrow(/2 instances are configured \(one, two\); name one/);
    expect((await locateInstance({ ...options, catmaidDir: b })).config?.backupDir).toBe('/var/backups/two');
  });

  it('with nothing to go on, says how to point at an instance', async () => {
    await expect(locateInstance({ env: {}, cwd: tmp, configFile: noConfig })).rejects.toMatchObject({
      exitCode: 2,
      hint: expect.stringContaining('--catmaid-dir'),
    });
  });
});

describe('the config file', () => {
  it('is never silently reset when malformed: the error names the file and the problem', async () => {
    const file = path.join(tmp, 'bad.json');
    fs.writeFileSync(file, '{"instances": {"x": {"root": "relative"}}}');
    await expect(loadConfig(file)).rejects.toThrow(`config file ${file}: instance "x" needs an absolute "root" path`);
    fs.writeFileSync(file, '{nope');
    await expect(loadConfig(file)).rejects.toThrow(/not valid JSON/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{nope');
  });
});
