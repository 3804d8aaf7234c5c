import { describeBlock, insertAfter, removal, type Edit } from './django-locations.js';
import { directivesAt, type IncludeSource } from './nginx-includes.js';
import type { NginxNode } from './nginx-parse.js';
import { HSTS_LINE } from './tls-profile.js';

/**
 * nginx sends a server's add_header lines only from locations that set no add_header of their own: CATMAID's
 * documented /catmaid/ location sets Cache-Control (and the CORS snippet more), so HSTS would never reach the pages
 * that matter. Each such block gets the HSTS line next to its own add_header lines (or loses ours when HSTS is off).
 */
const isHsts = (node: NginxNode): boolean => node.name === 'add_header' && (node.args[0] ?? '').toLowerCase() === 'strict-transport-security';

export interface HstsFit {
  edits: Edit[];
  /** The blocks that got the line (or lost it). */
  blocks: string[];
}

function visit(content: string, block: NginxNode, source: IncludeSource, hsts: boolean, fit: HstsFit): void {
  for (const child of block.children ?? []) {
    if (!child.children) continue;
    const defs = directivesAt(child.children, 'add_header', source);
    const own = defs.found.filter((d) => isHsts(d.node));
    if (hsts && defs.found.length > 0 && own.length === 0) {
      const anchor = defs.found.map((d) => d.anchor).sort((a, b) => a.end - b.end).at(-1) as NginxNode;
      fit.edits.push(insertAfter(content, anchor, [HSTS_LINE]));
      fit.blocks.push(describeBlock(child));
    }
    if (!hsts) {
      for (const d of own.filter((o) => !o.via)) fit.edits.push(removal(content, d.node));
      if (own.length > 0) fit.blocks.push(describeBlock(child));
    }
    visit(content, child, source, hsts, fit);
  }
}

export function fitHstsLocations(content: string, servers: NginxNode[], source: IncludeSource, hsts: boolean): HstsFit {
  const fit: HstsFit = { edits: [], blocks: [] };
  for (const server of servers) visit(content, server, source, hsts, fit);
  return fit;
}
