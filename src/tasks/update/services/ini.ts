/**
 * The INI dialect of supervisord (Python's ConfigParser): `[section]`, `key = value` or `key: value`, `;` and
 * `#` comment lines, ` ;` inline comments, indented continuation lines. supervisord then expands `%(here)s`
 * (the file's folder), `%(ENV_X)s` and `%%`.
 */
export type IniSections = Map<string, Map<string, string>>;

export function parseIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | null = null;
  let lastKey: string | null = null;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*([;#]|$)/.test(raw)) {
      lastKey = null;
      continue;
    }
    const section = /^\[([^\]]+)\]/.exec(raw);
    if (section) {
      current = sections.get(section[1].trim()) ?? new Map();
      sections.set(section[1].trim(), current);
      lastKey = null;
      continue;
    }
    if (!current) continue;
    if (/^\s/.test(raw) && lastKey) {
      current.set(lastKey, `${current.get(lastKey)} ${stripComment(raw.trim())}`.trim());
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!pair) continue;
    lastKey = pair[1].trim().toLowerCase();
    current.set(lastKey, stripComment(pair[2]));
  }
  return sections;
}

const stripComment = (value: string): string => value.replace(/\s;.*$/, '').trim();

/** supervisord's expansions of a value. */
export function expand(value: string, here: string, env: NodeJS.ProcessEnv = process.env): string {
  return value
    .replace(/%\(here\)s/g, here)
    .replace(/%\(ENV_(\w+)\)s/g, (_m, name: string) => env[name] ?? '')
    .replace(/%%/g, '%');
}
