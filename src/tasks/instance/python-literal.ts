/**
 * Just enough of Python to read plain assignments in settings.py without running it: literals (strings, numbers,
 * True/False/None, lists, tuples, dicts), `+` of literals, and statements at the top level. Anything else is
 * "not a literal", and the reader says which names it could not read.
 */
export type Py = string | number | boolean | null | PyList | PyDict;
export interface PyList {
  list: Py[];
  tuple: boolean;
}
export interface PyDict {
  dict: Record<string, Py>;
}

export interface Token {
  type: 'name' | 'number' | 'string' | 'fstring' | 'op' | 'newline';
  value: string;
  /** Column of the token; a statement starting past column 0 is inside a block. */
  col: number;
}

export class NotLiteral extends Error {}

const STRING_START = /^([rRbBuUfF]{0,2})('''|"""|'|")/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  let lineStart = 0;
  const text = source.replace(/\r\n?/g, '\n');
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      if (depth === 0 && tokens.length > 0 && tokens.at(-1)?.type !== 'newline') {
        tokens.push({ type: 'newline', value: '\n', col: i - lineStart });
      }
      i += 1;
      lineStart = i;
    } else if (ch === ' ' || ch === '\t' || ch === '\f') i += 1;
    else if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      lineStart = i;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (STRING_START.test(text.slice(i, i + 5))) {
      const [, prefix, quote] = STRING_START.exec(text.slice(i, i + 5)) as RegExpExecArray;
      const raw = /r/i.test(prefix);
      const col = i - lineStart;
      let j = i + prefix.length + quote.length;
      let value = '';
      while (j < text.length && text.slice(j, j + quote.length) !== quote) {
        if (text[j] === '\\' && !raw) {
          value += ESCAPES[text[j + 1]] ?? `\\${text[j + 1]}`;
          j += 2;
        } else {
          if (text[j] === '\n') {
            if (quote.length === 1) throw new NotLiteral('unterminated string');
            lineStart = j + 1;
          }
          value += text[j];
          j += 1;
        }
      }
      if (j >= text.length) throw new NotLiteral('unterminated string');
      tokens.push({ type: /f/i.test(prefix) ? 'fstring' : 'string', value, col });
      i = j + quote.length;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'number', value: m[0], col: i - lineStart });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_]\w*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'name', value: m[0], col: i - lineStart });
      i += m[0].length;
    } else {
      const two = text.slice(i, i + 2);
      const op = ['+=', '-=', '==', '!=', '<=', '>=', '**', '//', '->', ':='].includes(two) ? two : ch;
      if ('([{'.includes(op)) depth += 1;
      if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
      tokens.push({ type: 'op', value: op, col: i - lineStart });
      i += op.length;
    }
  }
  if (tokens.length > 0 && tokens.at(-1)?.type !== 'newline') tokens.push({ type: 'newline', value: '\n', col: 0 });
  return tokens;
}

/** Statements: runs of tokens between top-level newlines. */
export function statements(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.type === 'newline') {
      if (current.length > 0) out.push(current);
      current = [];
    } else current.push(token);
  }
  return out;
}

/** Parse tokens[start…end) as one literal expression. */
export function parseLiteral(tokens: Token[]): Py {
  let pos = 0;
  const peek = () => tokens[pos];
  const expectOp = (value: string) => {
    if (peek()?.type !== 'op' || peek()?.value !== value) throw new NotLiteral(`expected ${value}`);
    pos += 1;
  };
  const isOp = (value: string) => peek()?.type === 'op' && peek()?.value === value;

  function sequence(close: string): { items: Py[]; trailingComma: boolean } {
    const items: Py[] = [];
    let trailingComma = false;
    while (!isOp(close)) {
      items.push(expression());
      trailingComma = false;
      if (isOp(',')) {
        pos += 1;
        trailingComma = true;
      } else break;
    }
    expectOp(close);
    return { items, trailingComma };
  }

  function atom(): Py {
    const token = peek();
    if (!token) throw new NotLiteral('missing value');
    pos += 1;
    if (token.type === 'string') {
      let value = token.value;
      while (peek()?.type === 'string') value += tokens[pos++].value;
      return value;
    }
    if (token.type === 'number') {
      const n = Number(token.value.replace(/_/g, ''));
      if (Number.isNaN(n)) throw new NotLiteral(`bad number ${token.value}`);
      return n;
    }
    if (token.type === 'name') {
      if (token.value === 'True') return true;
      if (token.value === 'False') return false;
      if (token.value === 'None') return null;
      throw new NotLiteral(`name ${token.value}`);
    }
    if (token.type === 'op' && token.value === '-') {
      const value = atom();
      if (typeof value !== 'number') throw new NotLiteral('minus on a non-number');
      return -value;
    }
    if (token.type === 'op' && token.value === '[') return { list: sequence(']').items, tuple: false };
    if (token.type === 'op' && token.value === '(') {
      const { items, trailingComma } = sequence(')');
      return items.length === 1 && !trailingComma ? items[0] : { list: items, tuple: true };
    }
    if (token.type === 'op' && token.value === '{') {
      const dict: Record<string, Py> = {};
      while (!isOp('}')) {
        const key = expression();
        if (typeof key !== 'string' && typeof key !== 'number') throw new NotLiteral('dict key');
        expectOp(':');
        dict[String(key)] = expression();
        if (isOp(',')) pos += 1;
        else break;
      }
      expectOp('}');
      return { dict };
    }
    throw new NotLiteral(`unexpected ${token.value}`);
  }

  function expression(): Py {
    let value = atom();
    while (isOp('+')) {
      pos += 1;
      value = add(value, atom());
    }
    return value;
  }

  const value = expression();
  if (pos < tokens.length) {
    // A bare tuple: `X = 'a', 'b'`.
    if (!isOp(',')) throw new NotLiteral(`unexpected ${peek()?.value}`);
    const items = [value];
    while (isOp(',')) {
      pos += 1;
      if (pos < tokens.length) items.push(expression());
    }
    if (pos < tokens.length) throw new NotLiteral(`unexpected ${peek()?.value}`);
    return { list: items, tuple: true };
  }
  return value;
}

export function isList(value: Py): value is PyList {
  return typeof value === 'object' && value !== null && 'list' in value;
}
export function isDict(value: Py): value is PyDict {
  return typeof value === 'object' && value !== null && 'dict' in value;
}

/** Python's `+` on literals: numbers, strings, and lists or tuples of the same kind. */
export function add(a: Py, b: Py): Py {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (isList(a) && isList(b) && a.tuple === b.tuple) return { list: [...a.list, ...b.list], tuple: a.tuple };
  throw new NotLiteral('+ of different kinds');
}
