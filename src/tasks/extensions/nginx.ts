import { execa } from 'execa';

/** The location block that serves STATIC_EXTENSION_ROOT at STATIC_EXTENSION_URL. */
export function extensionLocation(url: string, root: string): string {
  const location = `/${url.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  const alias = `${root.replace(/\/+$/, '')}/`;
  return [
    `location ${location} {`,
    `    alias ${alias};`,
    '    # Front-end extensions change with the configuration: let browsers revalidate them.',
    '    add_header Cache-Control "no-cache";',
    '}',
  ].join('\n');
}

export interface NginxLocationCheck {
  /** nginx found and `nginx -T` readable. */
  checked: boolean;
  present: boolean;
  detail: string;
}

/** Does the running nginx configuration (`nginx -T`) already have a location for this URL? */
export async function nginxServesLocation(url: string, root: string): Promise<NginxLocationCheck> {
  const result = await execa('nginx', ['-T'], { reject: false, all: true, timeout: 10_000 });
  if (result.failed && result.exitCode === undefined) {
    return { checked: false, present: false, detail: 'nginx not found on this machine' };
  }
  if (result.exitCode !== 0) {
    return { checked: false, present: false, detail: `nginx -T failed: ${`${result.all}`.trim().split('\n').at(-1)}` };
  }
  const location = `/${url.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  const trimmedRoot = root.replace(/\/+$/, '');
  const text = `${result.stdout}`;
  const re = new RegExp(`location\\s+(?:\\^~\\s+)?${location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}?\\s*\\{([^}]*)\\}`, 'g');
  for (const match of text.matchAll(re)) {
    if (match[1].includes(trimmedRoot)) return { checked: true, present: true, detail: `location ${location} serves ${trimmedRoot}` };
    return { checked: true, present: false, detail: `location ${location} exists but does not point at ${trimmedRoot}` };
  }
  return { checked: true, present: false, detail: `no location ${location} in the running nginx configuration` };
}
