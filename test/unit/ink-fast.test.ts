import { describe, expect, it } from 'vitest';
import InkOutput from '../../node_modules/ink/build/output.js';
import inkMeasureText from '../../node_modules/ink/build/measure-text.js';
import inkWrapText from '../../node_modules/ink/build/wrap-text.js';
import packageWidestLine from '../../node_modules/widest-line/index.js';
import { BoundedCache, FrameCache } from '../../src/ink-fast/caches.js';
import measureText from '../../src/ink-fast/measure-text.js';
import FastOutput from '../../src/ink-fast/output.js';
import { isPlain } from '../../src/ink-fast/plain-text.js';
import widestLine from '../../src/ink-fast/widest-line.js';
import wrapText from '../../src/ink-fast/wrap-text.js';

// The bundle swaps ink's modules for src/ink-fast/ (tsup.config.ts); the two must draw the same text.

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const ESC = '\u001b';
const PIECES = [
  'PID', 'catmaid', ' ', '   ', 'SELECT 1', '127.0.0.1', '0:14', // ASCII
  '›', '⚠', '⧗', '·', '●', '…', '▁▂▃▄▅▆▇█', '✓', '✗', '⏸', '⏎', '─', '│', '╭', 'é', '½', // one column
  '漢字', 'ｶ', '한', '🙂', '⚠️', '👍🏽', '👨‍👩‍👧', '🇩🇪', '1️⃣', // two columns or clusters
  'e\u0301', '\u1100\u1161', '\u00ad', '\u200b', '\u200d', '\ufe0f', '\t', 'क्ष', 'ำ', // joiners, zero width
  `${ESC}[1m`, `${ESC}[22m`, `${ESC}[7m`, `${ESC}[27m`, `${ESC}[31m`, `${ESC}[39m`, `${ESC}[38;2;10;20;30m`,
  `${ESC}[1;4;32m`, `${ESC}[0m`, `${ESC}]8;;https://catmaid.org\u0007`, `${ESC}]8;;\u0007`,
];

function text(next: () => number, pieces: readonly string[], maxLines = 3): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * maxLines);
  for (let l = 0; l < count; l += 1) {
    let line = '';
    const n = Math.floor(next() * 8);
    for (let i = 0; i < n; i += 1) line += pieces[Math.floor(next() * pieces.length)];
    lines.push(line);
  }
  return lines.join('\n');
}

type Writer = InstanceType<typeof InkOutput> | FastOutput;
const transformers = [
  (line: string) => `${ESC}[7m${line}${ESC}[27m`,
  (line: string, index: number) => (index % 2 ? line.toUpperCase() : line),
  (line: string) => `${ESC}[32m${line}${ESC}[39m`,
];

/** The same operations on both outputs: writes with transformers, nested clips, out-of-bounds positions. */
function drawFrames(seed: number, frames: number, pieces: readonly string[]): void {
  const next = random(seed);
  for (let f = 0; f < frames; f += 1) {
    const width = 1 + Math.floor(next() * 50);
    const height = 1 + Math.floor(next() * 10);
    const ink = new InkOutput({ width, height });
    const fast = new FastOutput({ width, height });
    const both = (act: (o: Writer) => void): void => {
      act(ink);
      act(fast);
    };
    let depth = 0;
    const ops = Math.floor(next() * 12);
    for (let o = 0; o < ops; o += 1) {
      const kind = next();
      if (kind < 0.15) {
        const edge = (): number | undefined => (next() < 0.2 ? undefined : Math.floor(next() * (width + 4)) - 2);
        const clip = { x1: edge(), x2: edge(), y1: edge(), y2: edge() };
        both((out) => out.clip(clip));
        depth += 1;
      } else if (kind < 0.22 && depth > 0) {
        both((out) => out.unclip());
        depth -= 1;
      } else {
        const x = Math.floor(next() * (width + 6)) - 3;
        const y = Math.floor(next() * (height + 4)) - 2;
        const content = text(next, pieces);
        const chosen = transformers.filter(() => next() < 0.2);
        both((out) => out.write(x, y, content, { transformers: chosen }));
      }
    }
    const expected = ink.get();
    const actual = fast.get();
    if (actual.output !== expected.output) {
      throw new Error(`seed ${seed}, frame ${f}:\n${JSON.stringify(expected.output)}\n${JSON.stringify(actual.output)}`);
    }
    expect(actual.height).toBe(expected.height);
  }
}

describe("src/ink-fast draws what ink 6.8's own modules draw", () => {
  it('gives the same frames for plain, styled, wide, clustered and clipped text', () => {
    for (let seed = 1; seed <= 40; seed += 1) drawFrames(seed, 100, PIECES);
  });

  it('gives the same frames for text made of every character it treats as plain', () => {
    const plain: string[] = [];
    for (let code = 0; code < 0x10000; code += 1) {
      const char = String.fromCharCode(code);
      if (isPlain(char)) plain.push(char);
    }
    // ASCII, Latin, punctuation, arrows, box drawing, blocks and shapes are in; surrogates, marks and wide are out.
    expect(plain.length).toBeGreaterThan(10_000);
    for (const char of ['a', '~', 'é', '·', '…', '›', '█', '●', '⚠', '⧗', '─']) expect(isPlain(char)).toBe(true);
    for (const char of ['\t', '\u0301', '\u00ad', '\u200d', '\ufe0f', '\ud83d', '漢', '\u1100', 'ำ', '🙂']) {
      expect(isPlain(char)).toBe(false);
    }
    // Every plain character in frames (so each is tokenized by ink and compared), next to every other kind.
    const pieces: string[] = [];
    for (let i = 0; i < plain.length; i += 8) pieces.push(plain.slice(i, i + 8).join(''));
    drawFrames(1000, Math.ceil(pieces.length / 10), pieces);
    drawFrames(2000, 1500, [...pieces.slice(0, 400), ...PIECES]);
  });

  it('measures and wraps like ink', () => {
    const next = random(7);
    for (let i = 0; i < 3000; i += 1) {
      const sample = text(next, PIECES, 4);
      expect(measureText(sample)).toEqual(inkMeasureText(sample));
      expect(widestLine(sample)).toBe(packageWidestLine(sample));
      const width = 1 + Math.floor(next() * 20);
      for (const wrap of ['wrap', 'truncate', 'truncate-middle', 'truncate-start']) {
        expect(wrapText(sample, width, wrap)).toBe(inkWrapText(sample, width, wrap as 'wrap'));
      }
    }
  });

  it('forgets its cached texts when full instead of keeping every string ever drawn', () => {
    const cache = new BoundedCache<number>(3);
    for (let i = 0; i < 10; i += 1) cache.set(`line ${i}`, i);
    expect(cache.size).toBeLessThanOrEqual(3);
    expect(cache.get('line 9')).toBe(9);
    expect(cache.get('line 0')).toBeUndefined();
    const frames = new FrameCache<string>();
    const made: string[] = [];
    const make = (key: string): string => {
      made.push(key);
      return key.toUpperCase();
    };
    frames.get('header', make);
    frames.get('row 1', make);
    frames.nextFrame();
    frames.get('header', make); // used again: kept
    frames.nextFrame();
    frames.get('header', make);
    expect(frames.get('row 1', make)).toBe('ROW 1'); // unused for a frame: made again
    expect(made).toEqual(['header', 'row 1', 'row 1']);
    expect(frames.size).toBe(3);
    for (let i = 0; i < 20_000; i += 1) measureText(`uptime ${i} s · ${i} tps`);
    expect(measureText('uptime 5 s · 5 tps')).toEqual({ width: 18, height: 1 });
  });
});
