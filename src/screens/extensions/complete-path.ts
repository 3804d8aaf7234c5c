/** One entry of a folder, as the completion needs it. */
export interface DirEntry {
  name: string;
  dir: boolean;
}

export interface Completion {
  /** The input, completed as far as every match agrees. */
  value: string;
  /** What still matches when more than one does (folders end in /). */
  candidates: string[];
}

/** The folder part (up to and with the last /) and the name being typed. */
export function splitInput(input: string): { dirPart: string; base: string } {
  const cut = input.lastIndexOf('/') + 1;
  return { dirPart: input.slice(0, cut), base: input.slice(cut) };
}

const wanted = (entry: DirEntry): boolean => entry.dir || /\.(js|css)$/.test(entry.name);

function commonPrefix(names: string[]): string {
  let prefix = names[0] ?? '';
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Tab completion like a shell's, offering only folders and .js/.css files (the only files an extension can be);
 * hidden entries only once a '.' is typed.
 */
export function completeFrom(input: string, entries: readonly DirEntry[]): Completion {
  const { dirPart, base } = splitInput(input);
  const matches = entries
    .filter((e) => e.name.startsWith(base) && wanted(e) && (!e.name.startsWith('.') || base.startsWith('.')))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (matches.length === 0) return { value: input, candidates: [] };
  if (matches.length === 1) {
    const [only] = matches;
    return { value: `${dirPart}${only.name}${only.dir ? '/' : ''}`, candidates: [] };
  }
  return {
    value: `${dirPart}${commonPrefix(matches.map((m) => m.name))}`,
    candidates: matches.map((m) => `${m.name}${m.dir ? '/' : ''}`),
  };
}
