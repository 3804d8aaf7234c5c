/**
 * Admin notes as they are written: one entry per bullet (or paragraph), its lines and indentation kept, code
 * blocks kept whole. Notes hold multi-line shell commands (`\` line ends, indented continuation lines, several
 * commands in a row) and fenced blocks (settings to paste, supervisord entries): joined into one line they are
 * wrong to copy.
 */
const BULLET = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;
const FENCE = /^\s*(```|~~~)/;
/** A line that is a command to type, though not marked as code (CATMAID's notes often write them so). */
const COMMAND = /^\s*(\$ |#!|(sudo|pip3?|python3?|\.\/manage\.py|manage\.py|git|psql|apt(-get)?|systemctl|supervisorctl|createdb|pg_\w+|npm|cd) )/;

const indentOf = (line: string): number => line.length - line.trimStart().length;
const dedent = (line: string, by: number): string => line.slice(Math.min(by, indentOf(line)));

/** The entries of a block of Markdown, each a string with its own newlines (no bullet marker, dedented). */
export function notesOf(lines: string[]): string[] {
  const notes: string[][] = [];
  let current: string[] | null = null;
  let contentCol = 0;
  let topIndent: number | null = null;
  let fenced = false;
  let blanks = 0;
  const close = () => {
    if (current) notes.push(current);
    current = null;
    blanks = 0;
  };
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (fenced || FENCE.test(line)) {
      if (FENCE.test(line)) fenced = !fenced;
      if (!current) {
        current = [];
        contentCol = indentOf(line);
      }
      current.push(...Array<string>(blanks).fill(''), dedent(line, contentCol));
      blanks = 0;
      continue;
    }
    if (line === '') {
      if (current) blanks += 1;
      continue;
    }
    const bullet = BULLET.exec(line);
    const indent = indentOf(line);
    if (bullet && (topIndent === null || indent <= topIndent)) {
      close();
      topIndent = indent;
      contentCol = bullet[1].length + bullet[2].length + 1;
      current = [bullet[3]];
      continue;
    }
    // After a blank line only an indented line goes on with the entry; anything else starts a paragraph.
    if (current && (blanks === 0 || indent >= Math.min(2, contentCol))) {
      current.push(...Array<string>(blanks).fill(''), dedent(line, contentCol));
      blanks = 0;
      continue;
    }
    close();
    contentCol = indent;
    current = [dedent(line, indent)];
  }
  close();
  return notes.map((note) => note.join('\n')).filter((note) => note.trim() !== '' && !/^Contributors:/i.test(note.trim()));
}

export interface NoteBlock {
  kind: 'text' | 'code';
  lines: string[];
}

/**
 * A note split into prose and code, for drawing: fenced blocks (fences dropped), lines indented under the prose
 * (Markdown's indented code), and runs of lines joined by a trailing `\` are code, shown line for line and never
 * re-wrapped; prose may be wrapped to the screen.
 */
export function noteBlocks(note: string): NoteBlock[] {
  const blocks: NoteBlock[] = [];
  const push = (kind: NoteBlock['kind'], line: string) => {
    const last = blocks.at(-1);
    if (last && last.kind === kind) last.lines.push(line);
    else blocks.push({ kind, lines: [line] });
  };
  let fenced = false;
  let continued = false;
  for (const line of note.split('\n')) {
    if (FENCE.test(line)) {
      fenced = !fenced;
      if (!fenced) blocks.push({ kind: 'text', lines: [] });
      continue;
    }
    const indented = !fenced && indentOf(line) >= 2;
    const code: boolean = fenced || continued || indented || COMMAND.test(line);
    push(code ? 'code' : 'text', indented ? line.replace(/^ {2}/, '') : line);
    continued = code && line.endsWith('\\');
  }
  return blocks.filter((block) => block.lines.length > 0);
}

/** Compared as text: the same note in UPDATE.md and CHANGELOG.md, whatever their line breaks. */
export const sameNote = (a: string, b: string): boolean => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** A note line for line, as written: the mark on its first line, the rest under it (commands stay copyable). */
export function noteAsWritten(note: string, mark: string, indent: string): string[] {
  return note.split('\n').map((line, i) => (i === 0 ? `${mark}${line}` : line === '' ? '' : `${indent}${line}`));
}
