import fs from 'node:fs';
import path from 'node:path';
import { findAll, parseNginx, type NginxNode } from './nginx-parse.js';

/**
 * What nginx would read for an `include`: the files `nginx -T` printed when it ran, else the files on disk,
 * relative to nginx's configuration folder. Used to see what `uwsgi_params` or `proxy_params` already set.
 */
export interface IncludeSource {
  /** nginx's configuration folder (of nginx.conf): relative include paths start there. */
  confDir: string;
  /** Files as `nginx -T` printed them, by absolute path; empty when it could not run. */
  files: Map<string, string>;
}

export const emptyIncludes = (confDir = '/etc/nginx'): IncludeSource => ({ confDir, files: new Map() });

const globRe = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);

function matchingFiles(pattern: string, source: IncludeSource): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern];
  const re = globRe(pattern);
  const printed = [...source.files.keys()].filter((f) => re.test(f));
  if (printed.length > 0) return printed.sort();
  try {
    const dir = path.dirname(pattern);
    return fs.readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => re.test(f)).sort();
  } catch {
    return [];
  }
}

export interface IncludedFile {
  file: string;
  /** Parsed top level of the file, or null when it could not be read or parsed. */
  nodes: NginxNode[] | null;
}

/** The files an `include` directive names, each parsed (null when unreadable). */
export function readInclude(node: NginxNode, source: IncludeSource): IncludedFile[] {
  const arg = node.args[0] ?? '';
  const pattern = path.isAbsolute(arg) ? arg : path.join(source.confDir, arg);
  return matchingFiles(pattern, source).map((file) => {
    let text = source.files.get(file);
    if (text === undefined) {
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        return { file, nodes: null };
      }
    }
    try {
      return { file, nodes: parseNginx(text) };
    } catch {
      return { file, nodes: null };
    }
  });
}

/** A directive as set at one level: directly, or by a file included at that level. */
export interface LevelDirective {
  node: NginxNode;
  /** The include file it comes from; absent when it is written at the level itself. */
  via?: string;
  /** The directive of the level that brings it (the node itself, or its `include`). */
  anchor: NginxNode;
}

export interface LevelDirectives {
  found: LevelDirective[];
  /** Includes at this level that could not be read: they may set the directive too. */
  unreadable: { anchor: NginxNode; file: string }[];
}

/** Every `name` directive one level of a block sets, following its includes (not into nested blocks). */
export function directivesAt(children: NginxNode[], name: string, source: IncludeSource, depth = 0): LevelDirectives {
  const result: LevelDirectives = { found: [], unreadable: [] };
  for (const child of children) {
    if (child.name === name) result.found.push({ node: child, anchor: child });
    if (child.name !== 'include' || depth > 8) continue;
    for (const included of readInclude(child, source)) {
      if (!included.nodes) {
        result.unreadable.push({ anchor: child, file: included.file });
        continue;
      }
      const inner = directivesAt(included.nodes, name, source, depth + 1);
      result.found.push(...inner.found.map((d) => ({ ...d, via: d.via ?? included.file, anchor: child })));
      result.unreadable.push(...inner.unreadable.map((u) => ({ ...u, anchor: child })));
    }
  }
  return result;
}

/** The `http { }` block of the main configuration (the first file `nginx -T` printed), when known. */
export function httpBlock(mainConf: string | undefined): NginxNode | undefined {
  if (!mainConf) return undefined;
  try {
    return findAll(parseNginx(mainConf), 'http').find((n) => n.children);
  } catch {
    return undefined;
  }
}
