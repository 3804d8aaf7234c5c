import stringWidth from 'string-width';

/**
 * "Plain" text is text that ink's slow path (a grapheme segmenter, an ANSI tokenizer and string-width per
 * cluster) would cut into one cell per UTF-16 unit, each one column wide and unstyled. Printable ASCII is
 * plain; any other character is plain when it is one column wide (string-width, as ink measures), not a
 * surrogate, and never joins a neighbour into a grapheme cluster. That last part is asked of Intl.Segmenter
 * itself: after 'a', before 'a' and doubled it must stay its own cluster. Extend, ZWJ, SpacingMark, Prepend,
 * Hangul jamo and CR fail one of these (UAX #29 rules GB3–GB9b are pairwise; GB11–GB13 need ZWJ or regional
 * indicators, which are excluded). Each character is classified once and remembered.
 */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const UNKNOWN = 0;
const PLAIN = 1;
const NOT_PLAIN = 2;
const classes = new Uint8Array(0x10000);

function segments(text: string): number {
  let n = 0;
  for (const _ of segmenter.segment(text)) n += 1;
  return n;
}

function classify(code: number): number {
  if (code >= 0xd800 && code <= 0xdfff) return NOT_PLAIN;
  const char = String.fromCharCode(code);
  if (stringWidth(char) !== 1) return NOT_PLAIN;
  if (segments(`a${char}`) !== 2 || segments(`${char}a`) !== 2 || segments(char + char) !== 2) return NOT_PLAIN;
  return PLAIN;
}

/** Whether every UTF-16 unit of `text` is a plain character (see above). No escape code is plain. */
export function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e) continue;
    let kind = classes[code];
    if (kind === UNKNOWN) {
      kind = classify(code);
      classes[code] = kind;
    }
    if (kind !== PLAIN) return false;
  }
  return true;
}
