import type { Check, CheckGroup, CheckStatus, CheckupInputs } from '../types.js';
import { djangoChecks } from './django.js';
import { fsChecks } from './fs.js';
import { kernelChecks } from './kernel-shm.js';
import { memoryChecks } from './memory.js';
import { nginxChecks } from './nginx.js';
import { autovacuumCheck, maxConnectionsCheck, roleSettingsCheck, statsCheck } from './postgres-health.js';
import { postgisCheck } from './postgis.js';
import { postgresMemoryChecks } from './postgres-memory.js';
import { checkpointCheck, jitCheck, randomPageCostCheck } from './postgres-planner.js';
import { sslChecks } from './ssl.js';

const GROUP_ORDER: CheckGroup[] = ['database', 'django', 'web', 'os'];

/** Every rule over the gathered inputs, grouped Database, Django, Web server, OS. Pure. */
export function evaluate(inputs: CheckupInputs): Check[] {
  const database = [
    ...postgresMemoryChecks(inputs),
    randomPageCostCheck(inputs),
    checkpointCheck(inputs),
    jitCheck(inputs),
    maxConnectionsCheck(inputs),
    autovacuumCheck(inputs),
    statsCheck(inputs),
    roleSettingsCheck(inputs),
    postgisCheck(inputs),
  ].filter((check): check is Check => check !== null);
  const all = [...database, ...djangoChecks(inputs), ...nginxChecks(inputs), ...sslChecks(inputs), ...memoryChecks(inputs), ...kernelChecks(inputs), ...fsChecks(inputs)];
  return all.sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group));
}

export function summarise(checks: Check[]): Record<CheckStatus, number> {
  const summary: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, info: 0 };
  for (const check of checks) summary[check.status]++;
  return summary;
}
