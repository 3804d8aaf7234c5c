import {
  ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize, type AnsiCode,
  type StyledChar,
} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import { FrameCache } from './caches.js';
import { isPlain } from './plain-text.js';
import widestLine, { lineWidth } from './widest-line.js';

/**
 * Replaces ink 6.8's build/output.js in the bundle (see tsup.config.ts). ink draws every frame into a grid of
 * cells and turns the grid back into text; its version tokenizes each line with a grapheme segmenter and
 * builds an object per cell, about 19 ms for a 140×39 frame of the monitor on the machines here (more than
 * pg_activity spends on a whole refresh). This one produces the same text (test/unit/ink-fast.test.ts compares
 * the two on generated frames) with these shortcuts:
 * - rows nobody writes to are never built (a blank row is an empty line after trimming);
 * - plain lines (plain-text.ts) become cells without tokenizing, one shared cell per character, and lines of
 *   plain text and colour codes without the grapheme segmenter;
 * - lines tokenized for the last frame are reused (most lines repeat), widths are remembered (bounded);
 * - styles are diffed only between neighbouring cells whose styles differ.
 */
type Transformer = (line: string, index: number) => string;
interface Clip {
  x1: number | undefined;
  x2: number | undefined;
  y1: number | undefined;
  y2: number | undefined;
}
type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

const BLANK: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: [] };
const plainCells = new Map<string, StyledChar>();
const styledLines = new FrameCache<StyledChar[]>();

function plainCell(char: string): StyledChar {
  let cell = plainCells.get(char);
  if (!cell) {
    cell = { type: 'char', value: char, fullWidth: false, styles: [] };
    plainCells.set(char, cell);
  }
  return cell;
}

const SGR = /\u001b\[[0-9;]*m/y;

/**
 * A line of plain text and SGR (colour, bold, inverse) codes, as ansi-tokenize would cut it, without running
 * the grapheme segmenter over the text: each code is tokenized alone and folded into the styles the way
 * styledCharsFromTokens does, and the characters after it share one styles array. Anything else (links,
 * other escapes, characters that are not plain) goes through ansi-tokenize whole.
 */
function tokenized(line: string): StyledChar[] {
  const cells: StyledChar[] = [];
  let styles: AnsiCode[] = [];
  let i = 0;
  while (i < line.length) {
    const esc = line.indexOf('\u001b', i);
    const end = esc === -1 ? line.length : esc;
    if (end > i) {
      const text = line.slice(i, end);
      if (!isPlain(text)) return styledCharsFromTokens(tokenize(line));
      for (const char of text) cells.push(styles.length === 0 ? plainCell(char) : { type: 'char', value: char, fullWidth: false, styles });
      i = end;
    }
    if (esc === -1) break;
    SGR.lastIndex = esc;
    const code = SGR.exec(line);
    if (!code) return styledCharsFromTokens(tokenize(line));
    for (const token of tokenize(code[0])) {
      if (token.type !== 'ansi') return styledCharsFromTokens(tokenize(line));
      styles = reduceAnsiCodesIncremental(styles, [token]);
    }
    i = esc + code[0].length;
  }
  return cells;
}

function sameStyles(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

/**
 * ansi-tokenize's styledCharsToString, which diffs the styles of every pair of neighbouring cells; between
 * cells of equal styles that diff is empty, so it is only computed where the styles change.
 */
function styledText(cells: readonly StyledChar[]): string {
  let text = '';
  for (let i = 0; i < cells.length; i += 1) {
    const styles = cells[i].styles;
    if (i === 0) text += ansiCodesToString(styles);
    else if (!sameStyles(cells[i - 1].styles, styles)) text += ansiCodesToString(diffAnsiCodes(cells[i - 1].styles, styles));
    text += cells[i].value;
  }
  if (cells.length > 0) text += ansiCodesToString(diffAnsiCodes(cells[cells.length - 1].styles, []));
  return text;
}

const parts: string[] = [];

function rowText(row: StyledChar[]): string {
  let styled = false;
  for (const cell of row) {
    if (cell !== undefined && cell.styles.length > 0) {
      styled = true;
      break;
    }
  }
  if (styled) return styledText(row.filter((cell) => cell !== undefined)).trimEnd();
  parts.length = 0;
  for (const cell of row) if (cell !== undefined) parts.push(cell.value);
  return parts.join('').trimEnd();
}

export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    styledLines.nextFrame();
    const rows: (StyledChar[] | undefined)[] = new Array(this.height);
    const rowAt = (y: number): StyledChar[] | undefined => {
      if (!Number.isInteger(y) || y < 0 || y >= this.height) return undefined;
      return (rows[y] ??= new Array<StyledChar>(this.width).fill(BLANK));
    };
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type !== 'write') continue;
      let { x, y } = operation;
      const { text, transformers } = operation;
      let lines = text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const horizontal = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const vertical = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (horizontal && (x + widestLine(text) < clip.x1! || x > clip.x2!)) continue;
        if (vertical && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
        if (horizontal) {
          const x1 = clip.x1!;
          const x2 = clip.x2!;
          lines = lines.map((line) => {
            const from = x < x1 ? x1 - x : 0;
            const width = lineWidth(line);
            const to = x + width > x2 ? x2 - x : width;
            return isPlain(line) ? line.slice(from, to) : sliceAnsi(line, from, to);
          });
          if (x < x1) x = x1;
        }
        if (vertical) {
          const y1 = clip.y1!;
          const y2 = clip.y2!;
          const height = lines.length;
          lines = lines.slice(y < y1 ? y1 - y : 0, y + height > y2 ? y2 - y : height);
          if (y < y1) y = y1;
        }
      }
      // As in ink: the first line that falls outside the grid ends the text.
      for (let index = 0; index < lines.length; index += 1) {
        const row = rowAt(y + index);
        if (!row) break;
        let line = lines[index];
        for (const transformer of transformers) line = transformer(line, index);
        let column = x;
        if (isPlain(line)) {
          for (let i = 0; i < line.length; i += 1) row[column + i] = plainCell(line[i]);
          continue;
        }
        for (const cell of styledLines.get(line, tokenized)) {
          row[column] = cell;
          const width = Math.max(1, lineWidth(cell.value));
          for (let extra = 1; extra < width; extra += 1) {
            row[column + extra] = { type: 'char', value: '', fullWidth: false, styles: cell.styles };
          }
          column += width;
        }
      }
    }
    const output: string[] = [];
    for (let y = 0; y < this.height; y += 1) {
      const row = rows[y];
      output.push(row ? rowText(row) : '');
    }
    return { output: output.join('\n'), height: this.height };
  }
}
