import { UsageError } from '../errors.js';
import { nginxWord } from './quote.js';

/**
 * Where the two server blocks listen. An existing site keeps its addresses: its plain `listen`s go to the
 * redirect server as they were, its TLS ones (or the same addresses on 443) to the TLS server. Tests and unusual
 * setups name an address and ports instead.
 */
export interface ListenRequest {
  address?: string;
  httpsPort?: number;
  httpPort?: number;
}

export interface ListenPlan {
  /** `listen` arguments of the port-80 redirect server, e.g. `80`, `[::]:80 default_server`. */
  redirect: string[][];
  /** `listen` arguments of the TLS server, `ssl` included (and `http2` before nginx 1.25.1). */
  tls: string[][];
  /** The port https is reached on (for the redirect and the CSRF origin). */
  httpsPort: number;
}

const KEPT_PARAMS = new Set(['default_server', 'ipv6only=on', 'ipv6only=off']);

function address(spec: string): { host: string; port: number } {
  const v6 = /^(\[[^\]]+\])(?::(\d+))?$/.exec(spec);
  if (v6) return { host: v6[1], port: Number(v6[2] ?? 80) };
  if (/^\d+$/.test(spec)) return { host: '', port: Number(spec) };
  const [host, port] = spec.split(':');
  return { host, port: Number(port ?? 80) };
}

const join = (host: string, port: number): string => (host ? `${host}:${port}` : String(port));

function tlsParams(args: string[], http2: 'directive' | 'listen'): string[] {
  const params = args.slice(1).filter((p) => p !== 'ssl' && p !== 'http2');
  return [args[0], 'ssl', ...(http2 === 'listen' ? ['http2'] : []), ...params];
}

/** The listen plan from the old server blocks' `listen` arguments (empty for a new site). */
export function planListen(old: string[][], request: ListenRequest | undefined, http2: 'directive' | 'listen', ipv6: boolean): ListenPlan {
  if (request && (request.address || request.httpsPort || request.httpPort)) {
    const host = request.address ? nginxWord(request.address, '--listen') : '';
    if (host.startsWith('"')) throw new UsageError(`--listen ${JSON.stringify(request.address)}: not an address`);
    const httpsPort = request.httpsPort ?? 443;
    const hosts = host ? [host] : ['', ...(ipv6 ? ['[::]'] : [])];
    return {
      redirect: hosts.map((h) => [join(h, request.httpPort ?? 80)]),
      tls: hosts.map((h) => tlsParams([join(h, httpsPort)], http2)),
      httpsPort,
    };
  }
  const isTls = (args: string[]) => args.slice(1).includes('ssl');
  const plain = old.filter((a) => !isTls(a));
  const tls = old.filter(isTls);
  const defaults = ['', ...(ipv6 ? ['[::]'] : [])];
  const tlsFromPlain = plain
    .filter((a) => !a[0].startsWith('unix:'))
    .map((a) => [join(address(a[0]).host, 443), ...a.slice(1).filter((p) => KEPT_PARAMS.has(p))]);
  const chosen = tls.length > 0 ? tls : tlsFromPlain.length > 0 ? tlsFromPlain : defaults.map((h) => [join(h, 443)]);
  const unique = [...new Map(chosen.map((a) => [a.join(' '), a])).values()];
  const ports = unique.map((a) => address(a[0]).port);
  return {
    redirect: plain.length > 0 ? [...new Map(plain.map((a) => [a.join(' '), a])).values()] : defaults.map((h) => [join(h, 80)]),
    tls: unique.map((a) => tlsParams(a, http2)),
    httpsPort: ports.includes(443) || ports.length === 0 ? 443 : ports[0],
  };
}

export const listenLine = (args: string[]): string => `    listen ${args.join(' ')};`;
