import type { ProbeReport } from './probe.js';
import type { TestsslResult } from './testssl.js';

const MARK = { ok: '✓', warn: '!', fail: '✗', info: 'i' } as const;

/** The probe as the admin reads it: one line per check, then the grade and why. */
export function probeLines(report: ProbeReport, testssl?: TestsslResult | null): string[] {
  const lines = [`Probe of ${report.url}`, ...report.checks.map((c) => `  ${MARK[c.level]} ${c.text}`), `Grade ${report.grade}:`, ...report.reasons.map((r) => `  ${r}`)];
  if (testssl === null) lines.push('testssl.sh is not installed (apt install testssl.sh): no deeper scan');
  else if (testssl) {
    lines.push(`testssl.sh (${testssl.binary}): ${testssl.grade ? `grade ${testssl.grade}` : testssl.error ?? 'no grade'}`);
    lines.push(...testssl.severe.map((s) => `  ✗ ${s}`));
  }
  return lines;
}
