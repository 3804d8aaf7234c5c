import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { findProgram } from '../nginx-version.js';

/**
 * A deeper scan with testssl.sh (Debian's `testssl.sh` package) when it is installed: it tries every cipher and
 * known attack, which takes minutes. Never required; its overall grade is reported beside ours.
 */
export interface TestsslResult {
  binary: string;
  grade?: string;
  /** Findings testssl rates HIGH or CRITICAL, one line each. */
  severe: string[];
  error?: string;
}

interface Finding {
  id: string;
  severity?: string;
  finding?: string;
}

export function testsslBinary(): string | undefined {
  return findProgram('testssl') ?? findProgram('testssl.sh');
}

export async function runTestssl(host: string, port: number, options: { connect?: string; caFiles?: string[] }): Promise<TestsslResult | undefined> {
  const binary = testsslBinary();
  if (!binary) return undefined;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'catmaid-tui-testssl-'));
  const json = path.join(dir, 'result.json');
  const args = ['--quiet', '--color', '0', '--warnings', 'off', '--jsonfile', json];
  if (options.connect) args.push('--ip', options.connect);
  for (const ca of options.caFiles ?? []) args.push('--add-ca', ca);
  args.push(`${host}:${port}`);
  try {
    const run = await execa(binary, args, { reject: false, timeout: 900_000 });
    const findings = JSON.parse(await fs.readFile(json, 'utf8').catch(() => '[]')) as Finding[];
    const grade = findings.find((f) => f.id === 'overall_grade')?.finding;
    const severe = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL').map((f) => `${f.id}: ${f.finding ?? ''}`);
    return { binary, grade, severe, ...(findings.length === 0 ? { error: `no result (exit ${run.exitCode})` } : {}) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
