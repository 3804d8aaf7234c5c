import { formatBytes } from '../../bytes.js';
import { postgisFixText } from '../../db/postgis.js';
import { pythonRangeOf, withinRange } from './django-python.js';
import type { HostFacts } from './facts.js';
import { compareVersions, lowestAllowed, satisfies, type Requirement, type RequirementName } from './parse.js';

/**
 * Each requirement as a check: what is installed against what is required, and why. A failed one refuses the
 * update (exit 3) unless the admin passes `--ignore-requirement NAME`. PostGIS is always checked: a host
 * package upgrade alone breaks CATMAID until the extension is updated in every database.
 */
export interface RequirementCheck {
  name: RequirementName;
  status: 'ok' | 'warn' | 'fail' | 'info';
  title: string;
  detail?: string[];
  /** PostGIS only: the databases whose extension `ALTER EXTENSION postgis UPDATE` would fix. */
  postgisBehind?: string[];
}

export interface RequirementInput {
  requirements: Requirement[];
  /** The target's Django specifiers from django/requirements.txt, e.g. `>=3.2,<5.0`. */
  djangoSpec: string | null;
  facts: HostFacts;
  ignore: readonly string[];
  systemPython: boolean;
}

const by = (req: Requirement | undefined): string => (req ? ` (${req.release}: "${req.said}")` : '');

function versionCheck(name: 'postgresql' | 'python', label: string, installed: string | null, req: Requirement): RequirementCheck {
  const min = req.min ?? '0';
  if (!installed) return { name, status: 'warn', title: `${label}: cannot tell the installed version; ${min} or newer required${by(req)}` };
  const ok = compareVersions(installed, min) >= 0;
  return {
    name,
    status: ok ? 'ok' : 'fail',
    title: `${label} ${installed} ${ok ? '≥' : '<'} ${min} required by ${req.release}`,
    detail: ok ? undefined : [`"${req.said}"`, name === 'postgresql' ? 'upgrade PostgreSQL first (pg_upgradecluster), then update' : 'make a virtualenv with a newer Python first, then update'],
  };
}

function postgisCheck(facts: HostFacts, needs: Requirement | undefined, update: Requirement | undefined): RequirementCheck {
  const status = facts.postgis;
  if ('error' in status) return { name: 'postgis', status: 'warn', title: `PostGIS not checked: ${status.error}` };
  if (!status.available) {
    return needs
      ? { name: 'postgis', status: 'fail', title: `PostGIS is not installed on the database host; ${needs.min} required by ${needs.release}` }
      : { name: 'postgis', status: 'info', title: 'PostGIS: not installed on the database host' };
  }
  const unreadable = status.databases.filter((d) => d.error);
  if (status.behind.length > 0) {
    return {
      name: 'postgis',
      status: 'fail',
      title: `PostGIS library ${status.available}, extension ${[...new Set(status.behind.map((d) => d.version))].join(', ')} in ${status.behind.map((d) => d.name).join(', ')}`,
      detail: [`update the extension in each, as the superuser (u in the wizard, or: catmaid-tui checkup --apply pg.postgis):`, ...postgisFixText(status.behind.map((d) => d.name)).split('\n'), ...(update ? [`${update.release} asks for it too`] : [])],
      postgisBehind: status.behind.map((d) => d.name),
    };
  }
  const inUse = status.databases.filter((d) => d.version !== null).map((d) => d.name);
  const tooOld = needs?.min && compareVersions(status.available, needs.min) < 0;
  if (!tooOld && !inUse.includes(status.instance)) {
    return { name: 'postgis', status: 'warn', title: `PostGIS ${status.available} is installed but not in database ${status.instance}`, detail: ['CATMAID needs it there: CREATE EXTENSION postgis; as the superuser'] };
  }
  return {
    name: 'postgis',
    status: tooOld ? 'fail' : unreadable.length > 0 ? 'warn' : 'ok',
    title: tooOld
      ? `PostGIS ${status.available} < ${needs?.min} required by ${needs?.release}`
      : `PostGIS ${status.available}, extension up to date in ${inUse.join(', ') || 'no database'}${needs?.min ? ` (≥ ${needs.min} required)` : ''}`,
    detail: [...(tooOld ? ['install a newer PostGIS package for this PostgreSQL first'] : []), ...unreadable.map((d) => `not checked: ${d.name} (${d.error})`)],
  };
}

function djangoPythonCheck(spec: string, facts: HostFacts): RequirementCheck | null {
  if (!facts.python) return null;
  const django = facts.django && satisfies(facts.django, spec) ? facts.django : lowestAllowed(spec);
  if (!django) return null;
  const range = pythonRangeOf(django);
  if (!range) return { name: 'django-python', status: 'info', title: `Django ${django} (requirements.txt: ${spec}) with Python ${facts.python}: not judged` };
  const ok = withinRange(facts.python, range);
  return {
    name: 'django-python',
    status: ok ? 'ok' : 'warn',
    title: `Python ${facts.python} with Django ${django.split('.').slice(0, 2).join('.')} (requirements.txt ${spec}): ${range[0]}–${range[1]} supported`,
    detail: ok ? undefined : ['outside what Django supports officially: it may work (Debian patches its Django), test before relying on it'],
  };
}

function diskCheck(facts: HostFacts, req: Requirement): RequirementCheck {
  if (!facts.free || facts.databaseBytes === null) {
    return { name: 'disk', status: 'warn', title: `free disk for the database not known (remote database, or not root)${by(req)}` };
  }
  const { bytes, where } = facts.free;
  const size = facts.databaseBytes;
  const status = bytes >= 2 * size ? 'ok' : bytes >= size ? 'warn' : 'fail';
  return {
    name: 'disk',
    status,
    title: `free disk ${formatBytes(bytes)} ${status === 'ok' ? '≥' : '<'} 2 × database size ${formatBytes(size)} (table rewrites in ${req.release})`,
    detail: status === 'ok' ? undefined : [`on the volume of ${where}; a rewritten table needs room for a full copy of itself`, `"${req.said}"`],
  };
}

export function checkRequirements({ requirements, djangoSpec, facts, ignore, systemPython }: RequirementInput): RequirementCheck[] {
  const get = (name: RequirementName) => requirements.find((r) => r.name === name);
  const checks: RequirementCheck[] = [];
  const pg = get('postgresql');
  if (pg) checks.push(versionCheck('postgresql', 'PostgreSQL', facts.postgresql, pg));
  checks.push(postgisCheck(facts, get('postgis'), get('postgis-update')));
  const py = get('python');
  if (py) checks.push(versionCheck('python', `Python (${facts.virtualenv ? 'django/env' : 'system'})`, facts.python, py));
  if (djangoSpec) {
    const dp = djangoPythonCheck(djangoSpec, facts);
    if (dp) checks.push(dp);
  }
  const venv = get('virtualenv');
  if (venv) {
    checks.push(facts.virtualenv || systemPython
      ? { name: 'virtualenv', status: 'ok', title: `virtualenv update (${venv.release}): the pip step installs the new requirements into ${facts.virtualenv ? 'django/env' : 'the system Python'}` }
      : { name: 'virtualenv', status: 'fail', title: `virtualenv update required by ${venv.release}, and there is no django/env` });
  }
  const su = get('superuser');
  if (su) {
    checks.push(facts.superuser
      ? { name: 'superuser', status: 'ok', title: `superuser needed (${su.release}): the CATMAID role is one` }
      : { name: 'superuser', status: facts.superuser === null ? 'warn' : 'fail', title: `superuser needed by ${su.release}; the CATMAID role is ${facts.superuser === null ? 'perhaps ' : ''}not one`, detail: [`"${su.said}"`, 'grant it for the update (ALTER ROLE … SUPERUSER) and take it back after, or run that step as the superuser'] });
  }
  const disk = get('disk');
  if (disk) checks.push(diskCheck(facts, disk));
  return checks.map((check) =>
    check.status === 'fail' && ignore.includes(check.name)
      ? { ...check, status: 'warn', title: `${check.title} (ignored: --ignore-requirement ${check.name})` }
      : check,
  );
}
