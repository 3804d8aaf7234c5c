import fs from 'node:fs';
import { CliError, EXIT } from '../errors.js';
import {
  add,
  isDict,
  isList,
  NotLiteral,
  parseLiteral,
  statements,
  tokenize,
  type Py,
  type Token,
} from './python-literal.js';
import { applyExtensionChanges, EXTENSIONS_BLOCK, parseExtensionBlock } from '../extensions/block.js';
import { readManagedBlock, withManagedBlock } from '../settings-block.js';
import type { EffectiveSettings, InstanceLayout } from './types.js';

/**
 * Reads settings without running Python: the plain top-level assignments of settings_base.py, then of
 * settings.py (which starts with `from mysite.settings_base import *`). Understands `NAME = literal`,
 * `NAME += literal`, `NAME['key']['key'] = literal` and `NAME.append(literal)`; anything computed is unknown.
 */
export interface StaticReading {
  values: Record<string, Py>;
  /** Names assigned by something this reader cannot evaluate (their value is unknown). */
  unreadable: string[];
}

function subscriptPath(tokens: Token[]): { name: string; keys: string[]; rest: Token[] } | null {
  if (tokens[0]?.type !== 'name') return null;
  const keys: string[] = [];
  let i = 1;
  while (tokens[i]?.value === '[' && tokens[i + 1]?.type === 'string' && tokens[i + 2]?.value === ']') {
    keys.push(tokens[i + 1].value);
    i += 3;
  }
  return { name: tokens[0].value, keys, rest: tokens.slice(i) };
}

function setIn(target: Py | undefined, keys: string[], value: Py): Py {
  if (keys.length === 0) return value;
  if (target === undefined || !isDict(target)) throw new NotLiteral('subscript of a non-dict');
  const [key, ...more] = keys;
  return { dict: { ...target.dict, [key]: setIn(target.dict[key], more, value) } };
}

/** Python's `+=`: a list extends itself with any list or tuple (so the administration manual's `+= ('test.js', )` stays a list). */
function addInPlace(current: Py, value: Py): Py {
  if (isList(current) && !current.tuple && isList(value)) return { list: [...current.list, ...value.list], tuple: false };
  return add(current, value);
}

export function readStaticSource(source: string, into: StaticReading): void {
  for (const statement of statements(tokenize(source))) {
    if (statement[0].col !== 0) continue; // inside an if/def/class block: not a plain assignment
    const target = subscriptPath(statement);
    if (!target) continue;
    const { name, keys, rest } = target;
    const op = rest[0]?.value;
    try {
      if (rest[0]?.type === 'op' && (op === '=' || op === '+=')) {
        const value = parseLiteral(rest.slice(1));
        const current = into.values[name];
        if (op === '+=') {
          if (keys.length > 0 || current === undefined) throw new NotLiteral('+= on unknown');
          into.values[name] = addInPlace(current, value);
        } else into.values[name] = setIn(current, keys, value);
        into.unreadable = into.unreadable.filter((n) => n !== name);
      } else if (op === '.' && rest[1]?.value === 'append' && keys.length === 0 && rest[2]?.value === '(') {
        const current = into.values[name];
        if (current === undefined || !isList(current) || current.tuple) throw new NotLiteral('append on non-list');
        const value = parseLiteral(rest.slice(3, -1));
        into.values[name] = { list: [...current.list, value], tuple: false };
      }
    } catch (err) {
      if (!(err instanceof NotLiteral)) throw err;
      delete into.values[name];
      if (!into.unreadable.includes(name)) into.unreadable.push(name);
    }
  }
}

/**
 * settings.py itself: catmaid-tui's own STATIC_EXTENSION_FILES block is computed Python, so it is applied here
 * from what it records rather than evaluated.
 */
export function readSettingsSource(source: string, reading: StaticReading): void {
  const block = readManagedBlock(source, EXTENSIONS_BLOCK);
  readStaticSource(block ? withManagedBlock(source, EXTENSIONS_BLOCK, null) : source, reading);
  if (!block) return;
  const before = reading.values.STATIC_EXTENSION_FILES;
  const names = before !== undefined && isList(before) ? before.list.map(String) : [];
  reading.values.STATIC_EXTENSION_FILES = { list: applyExtensionChanges(names, parseExtensionBlock(block)), tuple: false };
}

const str = (v: Py | undefined): string | null => (typeof v === 'string' ? v : v == null ? null : String(v));
const bool = (v: Py | undefined, fallback: boolean): boolean => (v === undefined ? fallback : Boolean(v));
const strings = (v: Py | undefined): string[] => (v !== undefined && isList(v) ? v.list.map((x) => String(x)) : []);

export function readSettingsStatically(layout: InstanceLayout): EffectiveSettings {
  const reading: StaticReading = { values: {}, unreadable: [] };
  let source: string;
  try {
    source = fs.readFileSync(layout.settingsPy, 'utf8');
  } catch {
    throw new CliError(
      `${layout.settingsPy}: cannot read it`,
      EXIT.usage,
      'create it from settings.py.example (django/create_configuration.py)',
    );
  }
  try {
    if (layout.settingsBasePy) readStaticSource(fs.readFileSync(layout.settingsBasePy, 'utf8'), reading);
    readSettingsSource(source, reading);
  } catch (err) {
    throw new CliError(`${layout.settingsPy}: cannot be read (${(err as Error).message})`, EXIT.usage);
  }
  return toEffective(reading, layout.settingsPy);
}

/** Django's defaults for what the files leave unset. */
export function toEffective(reading: StaticReading, file: string): EffectiveSettings {
  const v = reading.values;
  const databases = v.DATABASES;
  const db = databases !== undefined && isDict(databases) ? databases.dict.default : undefined;
  if (db === undefined || !isDict(db) || typeof db.dict.NAME !== 'string') {
    const why = reading.unreadable.includes('DATABASES') ? 'DATABASES is computed, not a literal' : 'no DATABASES';
    throw new CliError(`${file}: cannot read DATABASES['default'] (${why})`, EXIT.usage);
  }
  const d = db.dict;
  const header = v.SECURE_PROXY_SSL_HEADER;
  const files = v.STATIC_EXTENSION_FILES;
  const age = d.CONN_MAX_AGE;
  return {
    database: {
      name: str(d.NAME) ?? '',
      user: str(d.USER) ?? '',
      password: str(d.PASSWORD) ?? '',
      host: str(d.HOST) ?? '',
      port: d.PORT === undefined || d.PORT === '' ? 5432 : Number(d.PORT),
    },
    connMaxAge: age === undefined ? 0 : age === null ? null : Number(age),
    debug: bool(v.DEBUG, false),
    allowedHosts: strings(v.ALLOWED_HOSTS),
    staticExtensionUrl: str(v.STATIC_EXTENSION_URL),
    staticExtensionRoot: str(v.STATIC_EXTENSION_ROOT),
    staticExtensionFiles: strings(files),
    staticExtensionFilesIsList: files === undefined || (isList(files) && !files.tuple),
    sessionCookieSecure: bool(v.SESSION_COOKIE_SECURE, false),
    csrfCookieSecure: bool(v.CSRF_COOKIE_SECURE, false),
    secureProxySslHeader:
      header !== undefined && isList(header) && header.list.length === 2
        ? [String(header.list[0]), String(header.list[1])]
        : null,
  };
}
