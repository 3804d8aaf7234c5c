import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateHome, runCli } from '../helpers/cli.js';

/**
 * The executable's main (scripts/package/front.cjs) answers `--version` and `-V` itself and hands everything else,
 * unchanged, to the script inside, compiled with the code cache made at build time.
 */
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'catmaid-tui-front-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
const exe = (args: string[]) => runCli(args, { runner: 'executable', env: privateHome(home) });

describe("the executable's main", () => {
  it('answers -V as --version, and leaves --version among other words to the script', async () => {
    const version = await exe(['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+ \(Node\.js v\d+\.\d+\.\d+, inside this executable\)$/);
    expect((await exe(['-V'])).stdout).toBe(version.stdout);
    // commander's answer, through the script: the same text
    expect((await exe(['--no-color', '--version'])).stdout).toBe(version.stdout);
  });

  it('runs the script with the code cache V8 accepted (--debug says when it does not)', async () => {
    const help = await exe(['--debug', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: catmaid-tui \[options\] \[command\]/);
    expect(help.stdout).toContain('monitor');
    expect(help.stderr).toBe('');
  });

  it('passes every other argument to the script as given', async () => {
    const missing = path.join(home, 'no such dir');
    const result = await exe(['-C', missing, 'info']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`--catmaid-dir ${missing}: no such directory`);
    const unknown = await exe(['--version-please']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--version-please'");
  });
});
