import { UsageError } from '../errors.js';
import { fitDjangoLocations, applyEdits, type DjangoLocation } from './django-locations.js';
import { fitHstsLocations } from './hsts-locations.js';
import type { IncludeSource } from './nginx-includes.js';
import { findAll, parseNginx, type NginxNode } from './nginx-parse.js';
import { catmaidServers, serversOf, type FindOptions } from './catmaid-servers.js';
import { GZIP } from './nginx-config.js';

const ACME = '/.well-known/acme-challenge';

const isRedirect = (node: NginxNode): boolean => node.name === 'return' || (node.name === 'if' && findAll(node.children ?? [], 'return').length > 0);
const only = (node: NginxNode, names: string[]): boolean => (node.children ?? []).every((c) => names.includes(c.name));
const locationPath = (node: NginxNode): string => node.args[node.args.length - 1] ?? '';

const text = (node: NginxNode): string => `${node.name} ${node.args.join(' ')};`;

/** What the new TLS server block sets itself, or what belongs to the redirect server: left out of "kept". */
function managed(node: NginxNode): boolean {
  const n = node.name;
  // The gzip lines catmaid-tui wrote itself come again; an admin's own gzip settings stay.
  if (n.startsWith('gzip')) return GZIP.includes(text(node));
  if (['listen', 'server_name', 'http2', 'ssl'].includes(n) || n.startsWith('ssl_') || isRedirect(node)) return true;
  if (n === 'add_header') return (node.args[0] ?? '').toLowerCase() === 'strict-transport-security';
  // certbot's and Debian's TLS snippets would set ssl_* a second time, which nginx refuses.
  if (n === 'include') return /ssl|snakeoil|letsencrypt/i.test(node.args[0] ?? '');
  if (n === 'location') return locationPath(node).startsWith(ACME) || (only(node, ['return']) && (node.children ?? []).length > 0);
  return false;
}

/** A port-80 block that only sends clients elsewhere (its content is not CATMAID's). */
function redirectOnly(server: NginxNode): boolean {
  const kids = server.children ?? [];
  return kids.some(isRedirect) || (kids.some((c) => c.name === 'location') && kids.filter((c) => c.name === 'location').every(managed));
}

/** A node's text with its inner lines re-indented to sit one level inside the new server block. */
function nodeText(content: string, node: NginxNode): string {
  const lineStart = content.lastIndexOf('\n', node.start - 1) + 1;
  const indent = content.slice(lineStart, node.start);
  return content
    .slice(node.start, node.end)
    .split('\n')
    .map((line, i) => {
      if (i === 0) return line;
      if (line.trim() === '') return '';
      return `    ${line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()}`;
    })
    .join('\n');
}

export interface SiteFilePlan {
  /** The server blocks that will be replaced (1-based lines in the old file). */
  replaced: { line: number; serverNames: string[] }[];
  /** Directives and locations from those blocks that the new TLS block keeps (Django's with the scheme line). */
  kept: string[];
  /** Every place that hands requests to Django, and what it gets. */
  djangoLocations: DjangoLocation[];
  /** Blocks with add_header lines of their own that get (or lose) the HSTS line. */
  hstsBlocks: string[];
  /** `listen` arguments of the old blocks, other names, prefix locations already served, gzip set. */
  oldListens: string[][];
  otherNames: string[];
  servedPaths: string[];
  hasGzip: boolean;
  /** Must be fixed by the admin before anything is written. */
  problems: string[];
  notes: string[];
  compose: (generated: string) => string;
}

const HOST_NAME = /^[A-Za-z0-9*]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/**
 * How to turn the old site file into the new one: CATMAID's server blocks are replaced by the generated pair,
 * their own directives and locations carried into the TLS block (every Django location with the scheme line),
 * and everything else in the file left as it was.
 */
export function planSiteFile(old: string | null, options: FindOptions & { hsts?: boolean }, source: IncludeSource, http?: NginxNode): SiteFilePlan {
  const empty = { replaced: [], kept: [], djangoLocations: [], hstsBlocks: [], oldListens: [], otherNames: [], servedPaths: [], hasGzip: false, problems: [], notes: [] };
  if (old === null || old.trim() === '') return { ...empty, compose: (g) => g };
  const parse = (text: string) => {
    try {
      return parseNginx(text);
    } catch (err) {
      throw new UsageError(`the current site file does not parse: ${(err as Error).message}`, 'fix it or pass another --site-file');
    }
  };
  const first = catmaidServers(serversOf(parse(old)), options, true).servers;
  if (first.length === 0) return { ...empty, compose: (g) => `${old.endsWith('\n') ? old : `${old}\n`}\n${g}` };
  const serving0 = first.filter((s) => !redirectOnly(s));
  const fit = fitDjangoLocations(old, serving0, source, http);
  const hsts = fitHstsLocations(old, serving0, source, options.hsts === true);
  const content = applyEdits(old, [...fit.edits, ...hsts.edits]);
  const servers = catmaidServers(serversOf(parse(content)), options, true).servers;
  const serving = servers.filter((s) => !redirectOnly(s));
  const children = serving.flatMap((s) => (s.children ?? []).filter((c) => !managed(c)));
  const all = servers.flatMap((s) => s.children ?? []);
  const names = all.filter((c) => c.name === 'server_name').flatMap((c) => c.args);
  return {
    replaced: first.map((s) => ({ line: s.line, serverNames: (s.children ?? []).filter((c) => c.name === 'server_name').flatMap((c) => c.args) })),
    kept: [...new Set(children.map((c) => nodeText(content, c)))],
    djangoLocations: fit.locations,
    hstsBlocks: hsts.blocks,
    oldListens: all.filter((c) => c.name === 'listen').map((c) => c.args),
    otherNames: [...new Set(names.filter((n) => n !== options.serverName && HOST_NAME.test(n)))],
    servedPaths: children.filter((c) => c.name === 'location' && (c.args.length === 1 || c.args[0] === '^~')).map(locationPath),
    hasGzip: children.some((c) => c.name.startsWith('gzip')),
    problems: fit.problems,
    notes: fit.notes,
    compose: (generated) => {
      let out = content;
      // From the last block to the first, so earlier offsets stay valid.
      for (const [i, server] of [...servers].reverse().entries()) {
        if (i === servers.length - 1) {
          // The comment catmaid-tui put above the blocks last time comes with the new ones.
          const before = out.slice(0, server.start).replace(/# CATMAID over HTTPS, generated by catmaid-tui[^\n]*\n# TLS: Mozilla[^\n]*\n$/, '');
          out = before + generated.replace(/\n$/, '') + out.slice(server.end);
          continue;
        }
        // A block that goes takes the blank lines before it along.
        let start = server.start;
        while (start > 0 && /\s/.test(out[start - 1])) start--;
        out = out.slice(0, start) + out.slice(server.end);
      }
      return out;
    },
  };
}
