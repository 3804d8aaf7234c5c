import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

/** What the site says over HTTP: HSTS on https, and where plain http sends the client. */
export interface HttpAnswer {
  ok: boolean;
  status?: number;
  location?: string;
  hsts?: string;
  error?: string;
}

export interface Target {
  host: string;
  connect?: string;
  port: number;
  path: string;
}

function request(get: typeof http.get, options: http.RequestOptions, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const req = get({ ...options, timeout: timeoutMs }, (res) => {
      res.resume();
      const hsts = res.headers['strict-transport-security'];
      resolve({ ok: true, status: res.statusCode, location: res.headers.location, hsts: Array.isArray(hsts) ? hsts[0] : hsts });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, error: err.code ?? err.message }));
  });
}

const hostHeader = (t: Target, defaultPort: number): string => (t.port === defaultPort ? t.host : `${t.host}:${t.port}`);

export function fetchHttps(t: Target, ca: string[] | undefined, timeoutMs = 5000): Promise<HttpAnswer> {
  return request(
    https.get,
    {
      host: t.connect ?? t.host,
      port: t.port,
      path: t.path,
      servername: t.host,
      headers: { host: hostHeader(t, 443) },
      ca: ca ? [...tls.rootCertificates, ...ca] : undefined,
      rejectUnauthorized: false,
      agent: false,
    } as https.RequestOptions,
    timeoutMs,
  );
}

export function fetchHttp(t: Target, timeoutMs = 5000): Promise<HttpAnswer> {
  return request(http.get, { host: t.connect ?? t.host, port: t.port, path: t.path, headers: { host: hostHeader(t, 80) }, agent: false }, timeoutMs);
}

/** `max-age` of a Strict-Transport-Security value, in seconds; undefined without one. */
export function hstsMaxAge(value: string | undefined): number | undefined {
  const m = value ? /max-age\s*=\s*"?(\d+)/i.exec(value) : null;
  return m ? Number(m[1]) : undefined;
}
