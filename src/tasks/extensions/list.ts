import fs from 'node:fs/promises';
import path from 'node:path';
import { oneLine } from '../errors.js';
import type { InstanceInfo } from '../instance/types.js';

export interface ExtensionEntry {
  name: string;
  /** The file exists in STATIC_EXTENSION_ROOT. */
  present: boolean;
  size: number | null;
  /** Only when a site URL is known: what the web server answered for the file's URL. */
  served?: { url: string; ok: boolean; status: number | null; error?: string };
}

export interface ExtensionListing {
  url: string | null;
  root: string | null;
  isList: boolean;
  files: ExtensionEntry[];
  /** Files in the folder that the setting does not list. */
  unlisted: string[];
}

/** `https://catmaid.example.org` + `/staticext/` + `a.js`, tolerant of slashes. */
export function extensionUrl(siteUrl: string, staticExtensionUrl: string, name: string): string {
  if (/^https?:\/\//.test(staticExtensionUrl)) return `${staticExtensionUrl.replace(/\/?$/, '/')}${name}`;
  const base = siteUrl.replace(/\/+$/, '');
  const prefix = `/${staticExtensionUrl.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  return `${base}${prefix}${name}`;
}

async function probe(url: string): Promise<NonNullable<ExtensionEntry['served']>> {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(3000) });
    return { url, ok: response.ok, status: response.status };
  } catch (err) {
    return { url, ok: false, status: null, error: oneLine((err as { cause?: unknown }).cause ?? err) };
  }
}

export async function listExtensions(info: InstanceInfo, siteUrl?: string): Promise<ExtensionListing> {
  const s = info.settings.settings;
  const root = s.staticExtensionRoot;
  const files = await Promise.all(
    s.staticExtensionFiles.map(async (name): Promise<ExtensionEntry> => {
      const stat = root ? await fs.stat(path.join(root, name)).catch(() => null) : null;
      const entry: ExtensionEntry = { name, present: stat?.isFile() ?? false, size: stat?.isFile() ? stat.size : null };
      if (siteUrl && s.staticExtensionUrl) entry.served = await probe(extensionUrl(siteUrl, s.staticExtensionUrl, name));
      return entry;
    }),
  );
  const inFolder = root ? await fs.readdir(root).catch(() => [] as string[]) : [];
  const unlisted = inFolder.filter((f) => /\.(js|css)$/.test(f) && !s.staticExtensionFiles.includes(f)).sort();
  return { url: s.staticExtensionUrl, root, isList: s.staticExtensionFilesIsList, files, unlisted };
}
