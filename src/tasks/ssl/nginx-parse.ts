/**
 * A small reader of nginx configuration syntax: directives and blocks with their place in the text, so a server
 * block can be found, copied from, and replaced without touching anything around it.
 */
export interface NginxNode {
  name: string;
  args: string[];
  /** Offsets in the text: from the directive's name to its `;` or closing `}` (inclusive). */
  start: number;
  end: number;
  /** 1-based line of the directive's name. */
  line: number;
  /** Present for blocks (`server { … }`). */
  children?: NginxNode[];
}

interface Token {
  kind: 'word' | ';' | '{' | '}';
  text: string;
  start: number;
  end: number;
  line: number;
}

function* tokens(text: string): Generator<Token> {
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') line++;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ';' || c === '{' || c === '}') {
      yield { kind: c, text: c, start: i, end: i + 1, line };
      i++;
    } else {
      const start = i;
      const startLine = line;
      let word = '';
      while (i < text.length && !/[\s;{}]/.test(text[i])) {
        const q = text[i];
        if (q === '"' || q === "'") {
          i++;
          while (i < text.length && text[i] !== q) {
            if (text[i] === '\\' && i + 1 < text.length) i++;
            if (text[i] === '\n') line++;
            word += text[i++];
          }
          i++;
        } else {
          if (q === '\\' && i + 1 < text.length) i++;
          word += text[i++];
        }
      }
      yield { kind: 'word', text: word, start, end: i, line: startLine };
    }
  }
}

/** Parse configuration text into a tree; unbalanced braces are an error naming the line. */
export function parseNginx(text: string): NginxNode[] {
  const root: NginxNode[] = [];
  const stack: { node?: NginxNode; children: NginxNode[] }[] = [{ children: root }];
  let words: Token[] = [];
  for (const token of tokens(text)) {
    if (token.kind === 'word') {
      words.push(token);
      continue;
    }
    const top = stack[stack.length - 1];
    if (token.kind === '}') {
      if (words.length > 0 || !top.node) throw new Error(`unexpected "}" on line ${token.line}`);
      top.node.end = token.end;
      stack.pop();
      continue;
    }
    if (words.length === 0) throw new Error(`unexpected "${token.text}" on line ${token.line}`);
    const node: NginxNode = {
      name: words[0].text,
      args: words.slice(1).map((w) => w.text),
      start: words[0].start,
      end: token.end,
      line: words[0].line,
    };
    top.children.push(node);
    if (token.kind === '{') {
      node.children = [];
      stack.push({ node, children: node.children });
    }
    words = [];
  }
  if (stack.length > 1) throw new Error(`missing "}" for the block opened on line ${stack[stack.length - 1].node?.line}`);
  if (words.length > 0) throw new Error(`missing ";" after "${words.map((w) => w.text).join(' ')}"`);
  return root;
}

/** All nodes named `name` at any depth, in order of appearance. */
export function findAll(nodes: NginxNode[], name: string): NginxNode[] {
  const found: NginxNode[] = [];
  for (const node of nodes) {
    if (node.name === name) found.push(node);
    if (node.children) found.push(...findAll(node.children, name));
  }
  return found;
}

/** Every `server { … }` block of the files, with its file; a file nginx itself would reject is passed over. */
export function serverBlocks(files: { file: string; content: string }[]): { file: string; server: NginxNode }[] {
  const blocks: { file: string; server: NginxNode }[] = [];
  for (const { file, content } of files) {
    let tree: NginxNode[];
    try {
      tree = parseNginx(content);
    } catch {
      continue;
    }
    for (const server of findAll(tree, 'server').filter((s) => s.children)) blocks.push({ file, server });
  }
  return blocks;
}

/** Split `nginx -T` output into the files it printed (`# configuration file /path:` headers). */
export function splitDump(dump: string): { file: string; content: string }[] {
  const header = /^# configuration file (.+):\r?\n/gm;
  const marks = [...dump.matchAll(header)];
  return marks.map((mark, i) => {
    const from = (mark.index ?? 0) + mark[0].length;
    const to = i + 1 < marks.length ? (marks[i + 1].index ?? dump.length) : dump.length;
    // nginx -T puts one blank line between files.
    return { file: mark[1], content: dump.slice(from, to).replace(/\n\n$/, '\n') };
  });
}
