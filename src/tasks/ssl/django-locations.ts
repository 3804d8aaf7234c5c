import path from 'node:path';
import { directivesAt, type IncludeSource, type LevelDirective, type LevelDirectives } from './nginx-includes.js';
import type { NginxNode } from './nginx-parse.js';

/**
 * Every place of a CATMAID server block that hands a request to Django (uWSGI, an HTTP proxy such as gunicorn or
 * daphne's websockets, FastCGI, SCGI) must tell Django the scheme the client used, set by nginx from the
 * connection, never passed on from the client: else SECURE_PROXY_SSL_HEADER never matches, or trusts a forged
 * header. nginx inherits `*_param` / `proxy_set_header` from the enclosing level only when a level sets none
 * itself, so the line goes where the location's other parameters are set.
 */
export type PassKind = 'uwsgi' | 'proxy' | 'fastcgi' | 'scgi';

const PASS: Record<string, PassKind> = { uwsgi_pass: 'uwsgi', proxy_pass: 'proxy', fastcgi_pass: 'fastcgi', scgi_pass: 'scgi' };

interface KindRule {
  directive: string;
  proto: string;
  isProto: (args: string[]) => boolean;
}

const param = (directive: string): KindRule => ({
  directive,
  proto: `${directive} HTTP_X_FORWARDED_PROTO $scheme;`,
  isProto: (args) => args[0] === 'HTTP_X_FORWARDED_PROTO',
});

export const RULES: Record<PassKind, KindRule> = {
  uwsgi: param('uwsgi_param'),
  fastcgi: param('fastcgi_param'),
  scgi: param('scgi_param'),
  proxy: {
    directive: 'proxy_set_header',
    proto: 'proxy_set_header X-Forwarded-Proto $scheme;',
    isProto: (args) => (args[0] ?? '').toLowerCase() === 'x-forwarded-proto',
  },
};

/** Django's get_host() reads Host; proxy_pass sends the upstream's own name unless told otherwise. */
const PROXY_HOST = 'proxy_set_header Host $host;';

export interface DjangoLocation {
  /** `location /catmaid/` (with `if (…)` when the pass sits in one), as written. */
  where: string;
  line: number;
  kind: PassKind;
  target: string;
  /** present: nothing to change; added / replaced: the lines below go in at `at`. */
  action: 'present' | 'added' | 'replaced';
  at: string;
  lines: string[];
}

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface DjangoFit {
  locations: DjangoLocation[];
  edits: Edit[];
  /** Things catmaid-tui will not decide for the admin (e.g. an included file sets the header otherwise). */
  problems: string[];
  notes: string[];
}

export function describeBlock(node: NginxNode): string {
  if (node.name === 'server') return 'the server block';
  return `${node.name} ${node.args.join(' ')}`.trim();
}

function lineIndent(content: string, node: NginxNode): { indent: string; first: boolean } {
  const lineStart = content.lastIndexOf('\n', node.start - 1) + 1;
  const before = content.slice(lineStart, node.start);
  const indent = /^[ \t]*/.exec(before)?.[0] ?? '';
  return { indent, first: before.trim() === '' };
}

/** Lines after `anchor`: on their own lines when the anchor ends its line, else on the same line. */
export function insertAfter(content: string, anchor: NginxNode, lines: string[]): Edit {
  const { indent, first } = lineIndent(content, anchor);
  const lineEnd = content.indexOf('\n', anchor.end);
  const rest = content.slice(anchor.end, lineEnd === -1 ? content.length : lineEnd);
  if (lineEnd !== -1 && /^\s*(#.*)?$/.test(rest)) {
    const own = first ? indent : `${indent}    `;
    return { start: lineEnd + 1, end: lineEnd + 1, text: lines.map((l) => `${own}${l}\n`).join('') };
  }
  return { start: anchor.end, end: anchor.end, text: lines.map((l) => ` ${l}`).join('') };
}

const textOf = (d: LevelDirective): string => `${d.node.name} ${d.node.args.join(' ')};`;

/** The edit that takes a directive out, with its line when it stands alone there. */
export function removal(content: string, node: NginxNode): Edit {
  const lineStart = content.lastIndexOf('\n', node.start - 1) + 1;
  const lineEnd = content.indexOf('\n', node.end);
  const alone = content.slice(lineStart, node.start).trim() === '' && /^\s*(#.*)?$/.test(content.slice(node.end, lineEnd === -1 ? undefined : lineEnd));
  return alone && lineEnd !== -1 ? { start: lineStart, end: lineEnd + 1, text: '' } : { start: node.start, end: node.end, text: '' };
}

interface Context {
  content: string;
  source: IncludeSource;
  http?: NginxNode;
  fit: DjangoFit;
  /** Offsets already edited: a server-level line serves every location below it once. */
  edited: Set<string>;
}

function edit(ctx: Context, key: string, e: Edit): void {
  if (ctx.edited.has(key)) return;
  ctx.edited.add(key);
  ctx.fit.edits.push(e);
}

/** The definitions at one level that matter for this kind (an unreadable include only when its name says so). */
function definitionsAt(ctx: Context, level: NginxNode, kind: PassKind): LevelDirectives {
  const d = directivesAt(level.children ?? [], RULES[kind].directive, ctx.source);
  return { found: d.found, unreadable: d.unreadable.filter((u) => path.basename(u.file).includes(kind)) };
}

const isScheme = (node: NginxNode): boolean => node.args[1] === '$scheme' && node.args.length === 2;

function handle(ctx: Context, block: NginxNode, pass: NginxNode, chain: NginxNode[]): void {
  const kind = PASS[pass.name];
  const rule = RULES[kind];
  const location = chain.find((n) => n.name === 'location') ?? block;
  const entry: DjangoLocation = {
    where: block === location ? describeBlock(block) : `${describeBlock(location)} › ${describeBlock(block)}`,
    line: pass.line,
    kind,
    target: pass.args[0] ?? '',
    action: 'present',
    at: describeBlock(block),
    lines: [],
  };
  ctx.fit.locations.push(entry);
  const level = chain.find((n) => {
    const d = definitionsAt(ctx, n, kind);
    return d.found.length > 0 || d.unreadable.length > 0;
  });
  if (!level) return addWithInherited(ctx, entry, pass, kind);
  const defs = definitionsAt(ctx, level, kind);
  entry.at = describeBlock(level);
  for (const u of defs.unreadable) {
    ctx.fit.notes.push(`could not read ${u.file} (included in ${entry.at}): make sure it does not set the forwarded scheme as well`);
  }
  const proto = defs.found.filter((d) => rule.isProto(d.node.args));
  for (const wrong of proto.filter((d) => d.via && !isScheme(d.node))) {
    ctx.fit.problems.push(`${wrong.via} (included in ${entry.at}) sets ${textOf(wrong)}: change it there to ${rule.proto}`);
  }
  const keep = proto.find((d) => d.via && isScheme(d.node)) ?? proto.find((d) => !d.via && isScheme(d.node));
  const direct = proto.filter((d) => !d.via && d !== keep);
  // One header only: a second X-Forwarded-Proto reaches Django as "https,https", which Django 3.2 does not match.
  direct.forEach((d, i) => {
    const replace = !keep && i === 0;
    edit(ctx, `node:${d.node.start}`, replace ? { start: d.node.start, end: d.node.end, text: rule.proto } : removal(ctx.content, d.node));
    entry.action = 'replaced';
    entry.lines.push(replace ? rule.proto : `(removed) ${textOf(d)}`);
  });
  const wanted = proto.length === 0 ? [rule.proto] : [];
  if (kind === 'proxy' && !defs.found.some((d) => (d.node.args[0] ?? '').toLowerCase() === 'host')) wanted.unshift(PROXY_HOST);
  if (wanted.length === 0) return;
  if (entry.action === 'present') entry.action = 'added';
  entry.lines.push(...wanted);
  const anchor = [...defs.found, ...defs.unreadable].map((d) => d.anchor).sort((a, b) => a.end - b.end).at(-1) as NginxNode;
  edit(ctx, `after:${anchor.end}`, insertAfter(ctx.content, anchor, wanted));
}

/** Nothing set inside the site: nginx.conf's http { } may set some, which a line here would hide, so they are repeated. */
function addWithInherited(ctx: Context, entry: DjangoLocation, pass: NginxNode, kind: PassKind): void {
  const rule = RULES[kind];
  const inherited = ctx.http ? directivesAt(ctx.http.children ?? [], rule.directive, ctx.source).found : [];
  const copies = [...new Set(inherited.filter((d) => !rule.isProto(d.node.args) || d.via).map((d) => `${d.anchor.name} ${d.anchor.args.join(' ')};`))];
  for (const wrong of inherited.filter((d) => rule.isProto(d.node.args) && d.via && !isScheme(d.node))) {
    ctx.fit.problems.push(`${wrong.via} (included in nginx.conf's http block) sets ${textOf(wrong)}: change it there to ${rule.proto}`);
  }
  const lines = [...copies, ...(inherited.some((d) => rule.isProto(d.node.args) && d.via) ? [] : [rule.proto])];
  if (kind === 'proxy' && !inherited.some((d) => (d.node.args[0] ?? '').toLowerCase() === 'host')) lines.unshift(PROXY_HOST);
  if (kind === 'uwsgi' && copies.length === 0) lines.unshift('include uwsgi_params;');
  entry.action = 'added';
  entry.lines.push(...lines);
  edit(ctx, `after:${pass.end}`, insertAfter(ctx.content, pass, lines));
}

function visit(ctx: Context, block: NginxNode, chain: NginxNode[]): void {
  for (const child of block.children ?? []) {
    if (child.name in PASS) handle(ctx, block, child, [block, ...chain]);
    else if (child.children) visit(ctx, child, [block, ...chain]);
  }
}

/**
 * The Django-reaching places of the given server blocks and the edits that make each pass the scheme. `http` is
 * nginx.conf's http block (from `nginx -T`), whose parameters a new line at a lower level would hide.
 */
export function fitDjangoLocations(content: string, servers: NginxNode[], source: IncludeSource, http?: NginxNode): DjangoFit {
  const ctx: Context = { content, source, http, fit: { locations: [], edits: [], problems: [], notes: [] }, edited: new Set() };
  for (const server of servers) visit(ctx, server, []);
  return ctx.fit;
}

/** Apply non-overlapping edits (from the end, so offsets stay valid). */
export function applyEdits(content: string, edits: Edit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), content);
}
