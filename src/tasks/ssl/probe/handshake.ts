import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';

/** One TLS handshake with chosen limits, and what the server showed of itself. */
export interface HandshakeOptions {
  host: string;
  /** Where to connect when the name does not resolve here (like curl --resolve); the name still goes in SNI. */
  connect?: string;
  port: number;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  alpn?: string[];
  /** Extra trusted CAs (PEM), besides the system's. */
  ca?: string[];
  requestOCSP?: boolean;
  timeoutMs?: number;
}

export interface Handshake {
  ok: boolean;
  error?: string;
  protocol?: string;
  cipher?: string;
  alpn?: string;
  authorized?: boolean;
  authorizationError?: string;
  /** The leaf, and the chain as verified (leaf first); subjects and issuers on one line each. */
  leaf?: X509Certificate;
  chain?: { subject: string; issuer: string }[];
  /** Bytes of the stapled OCSP response (0: none stapled). */
  ocspBytes?: number;
}

function chainOf(socket: tls.TLSSocket): { subject: string; issuer: string }[] {
  const chain: { subject: string; issuer: string }[] = [];
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
  const seen = new Set<string>();
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    const name = (o: tls.Certificate) => Object.entries(o).map(([k, v]) => `${k}=${v}`).join(', ');
    chain.push({ subject: name(cert.subject), issuer: name(cert.issuer) });
    cert = cert.issuerCertificate;
  }
  return chain;
}

export function handshake(options: HandshakeOptions): Promise<Handshake> {
  return new Promise((resolve) => {
    let ocspBytes = 0;
    // requestOCSP reaches the TLSSocket through tls.connect (lib/_tls_wrap.js), though the typings leave it out.
    const socket = tls.connect({
      host: options.connect ?? options.host,
      port: options.port,
      servername: /^\d+(\.\d+){3}$/.test(options.host) ? undefined : options.host,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      ciphers: options.ciphers,
      ALPNProtocols: options.alpn,
      ca: options.ca ? [...tls.rootCertificates, ...options.ca] : undefined,
      requestOCSP: options.requestOCSP,
      rejectUnauthorized: false,
      timeout: options.timeoutMs ?? 5000,
    } as tls.ConnectionOptions);
    const done = (result: Handshake) => {
      socket.destroy();
      resolve(result);
    };
    socket.on('OCSPResponse', (response: Buffer) => (ocspBytes = response?.length ?? 0));
    socket.on('secureConnect', () => {
      const cipher = socket.getCipher();
      // Node 20 answers {} to getPeerCertificate() once getPeerX509Certificate() was called: the chain first.
      const chain = chainOf(socket);
      const peer = socket.getPeerX509Certificate();
      done({
        ok: true,
        protocol: socket.getProtocol() ?? undefined,
        cipher: cipher.standardName ?? cipher.name,
        alpn: socket.alpnProtocol || undefined,
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        leaf: peer,
        chain,
        ocspBytes,
      });
    });
    socket.on('timeout', () => done({ ok: false, error: 'timed out' }));
    socket.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code ?? err.message }));
  });
}
