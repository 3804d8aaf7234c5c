import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { fileStamp, writeFileAtomic } from '../atomic-write.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { dataHome } from '../paths.js';
import { bareUpstream } from './nginx-read.js';
import { findAll, parseNginx, type NginxNode } from './nginx-parse.js';
import type { NginxCommand } from './nginx-version.js';

/** What the new server blocks set themselves; everything else in the old block is carried over. */
function managed(node: NginxNode, ownUrls: string[]): boolean {
  const n = node.name;
  if (['listen', 'server_name', 'return', 'http2', 'ssl'].includes(n) || n.startsWith('ssl_') || n.startsWith('gzip')) {
    return true;
  }
  if (n === 'add_header') return (node.args[0] ?? '').toLowerCase() === 'strict-transport-security';
  // certbot's and Debian's TLS snippets would set ssl_* a second time, which nginx refuses.
  if (n === 'include') return /ssl|snakeoil|letsencrypt/i.test(node.args[0] ?? '');
  if (n === 'if') return findAll(node.children ?? [], 'return').length > 0;
  if (n === 'location') {
    const url = node.args[node.args.length - 1] ?? '';
    const norm = (u: string) => (u.endsWith('/') ? u : `${u}/`);
    return node.args.length === 1 && ['/', ...ownUrls].map(norm).includes(norm(url));
  }
  return false;
}

/** A node's text with its inner lines re-indented to sit one level inside the new server block. */
function nodeText(content: string, node: NginxNode): string {
  const lineStart = content.lastIndexOf('\n', node.start - 1) + 1;
  const indent = content.slice(lineStart, node.start);
  return content
    .slice(node.start, node.end)
    .split('\n')
    .map((line, i) => (i === 0 ? line : `    ${line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()}`))
    .join('\n');
}

export interface SiteFilePlan {
  /** The server blocks that will be replaced (1-based lines in the old file). */
  replaced: { line: number; serverNames: string[] }[];
  /** Directives and locations from those blocks that the new block keeps. */
  kept: string[];
  compose: (generated: string) => string;
}

/**
 * How to turn the old site file into the new one: the first CATMAID server block (by name or upstream) is
 * replaced by the generated blocks, any further ones removed, and everything else in the file left as it was.
 */
export function planSiteFile(old: string | null, serverName: string, upstream: string | undefined, ownUrls: string[]): SiteFilePlan {
  if (old === null || old.trim() === '') return { replaced: [], kept: [], compose: (g) => g };
  let tree: NginxNode[];
  try {
    tree = parseNginx(old);
  } catch (err) {
    throw new UsageError(`the current site file does not parse: ${(err as Error).message}`, 'fix it or pass another --site-file');
  }
  const servers = findAll(tree, 'server').filter((s) => {
    const kids = s.children ?? [];
    if (!s.children) return false;
    if (kids.some((c) => c.name === 'server_name' && c.args.includes(serverName))) return true;
    const passes = [...findAll(kids, 'proxy_pass'), ...findAll(kids, 'uwsgi_pass')];
    return !!upstream && passes.some((p) => bareUpstream(p.args[0] ?? '') === bareUpstream(upstream));
  });
  const kept = [...new Set(servers.flatMap((s) => (s.children ?? []).filter((c) => !managed(c, ownUrls)).map((c) => nodeText(old, c))))];
  const replaced = servers.map((s) => ({
    line: s.line,
    serverNames: (s.children ?? []).filter((c) => c.name === 'server_name').flatMap((c) => c.args),
  }));
  const compose = (generated: string): string => {
    if (servers.length === 0) return `${old.endsWith('\n') ? old : `${old}\n`}\n${generated}`;
    let text = old;
    // From the last block to the first, so earlier offsets stay valid.
    for (const [i, server] of [...servers].reverse().entries()) {
      const first = i === servers.length - 1;
      let end = server.end;
      if (!first && text[end] === '\n') end++;
      text = text.slice(0, server.start) + (first ? generated.replace(/\n$/, '') : '') + text.slice(end);
    }
    return text;
  };
  return { replaced, kept, compose };
}

/** Where the copy of the old file goes: next to it, unless nginx would load it from there (`sites-enabled/*`). */
export function backupPathFor(target: string, stamp = fileStamp()): string {
  const dir = path.basename(path.dirname(target)) === 'sites-enabled' ? path.join(dataHome(), 'catmaid-tui', 'nginx-backups') : path.dirname(target);
  return path.join(dir, `${path.basename(target)}.bak-${stamp}`);
}

export interface SiteWrite {
  /** The file written (the target of a symlink such as sites-enabled/catmaid). */
  file: string;
  backup?: string;
  created: boolean;
  /** What `nginx -t` said. */
  test: string;
}

async function nginxTest(nginx: NginxCommand): Promise<{ ok: boolean; output: string }> {
  const result = await execa(nginx.binary, [...nginx.configArgs, '-t'], { reject: false, all: true });
  return { ok: result.exitCode === 0, output: (result.all ?? '').trim() };
}

/**
 * Write the site file atomically, keeping a copy of the old one, then let nginx test the whole configuration.
 * If the test fails the old file is put back byte for byte (or the new one removed) and the error is thrown.
 */
export async function installSiteFile(nginx: NginxCommand, file: string, content: string): Promise<SiteWrite> {
  const target = await fs.realpath(file).catch(() => path.resolve(file));
  const old = await fs.readFile(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  let backup: string | undefined;
  if (old !== null) {
    backup = backupPathFor(target);
    await fs.mkdir(path.dirname(backup), { recursive: true });
    await fs.copyFile(target, backup);
  }
  await writeFileAtomic(target, content, old === null ? { mode: 0o644 } : {});
  const test = await nginxTest(nginx);
  if (test.ok) return { file: target, backup, created: old === null, test: test.output };
  if (old !== null) {
    await writeFileAtomic(target, old);
    if (backup) await fs.rm(backup, { force: true });
  } else {
    await fs.rm(target, { force: true });
  }
  const reason = test.output.split('\n').find((l) => /\[emerg\]|\[crit\]|failed/.test(l)) ?? test.output;
  throw new CliError(
    `nginx -t rejected the new configuration; ${old === null ? 'the new file was removed' : 'the old site file was put back'}`,
    EXIT.failed,
    reason,
  );
}
