/**
 * A grade in the spirit of Qualys SSL Labs' rating guide, from what a local probe can see. Caps, worst first:
 * F (no usable TLS, expired), T (not trusted: chain or name), C (3DES/RC4/NULL/EXPORT ciphers), B (TLS 1.0/1.1,
 * or ciphers without forward secrecy), A− (no AEAD cipher or no TLS 1.3); A, and A+ with HSTS of six months or more.
 */
export type Grade = 'A+' | 'A' | 'A-' | 'B' | 'C' | 'T' | 'F';

export interface GradeInputs {
  accepted: Record<'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3', boolean>;
  /** Cipher families a TLS 1.2 client offering only them got accepted with. */
  weak: { noForwardSecrecy: boolean; legacy: boolean; cbc: boolean };
  aead: boolean;
  expired: boolean;
  trusted: boolean;
  nameMatches: boolean;
  hstsMaxAge?: number;
}

export interface GradeResult {
  grade: Grade;
  /** Why the grade is what it is: each cap that applied, or what earned it. */
  reasons: string[];
}

const ORDER: Grade[] = ['F', 'T', 'C', 'B', 'A-', 'A', 'A+'];
export const HSTS_FOR_A_PLUS = 15_768_000;

export function gradeOf(i: GradeInputs): GradeResult {
  const caps: [Grade, string][] = [];
  if (!i.accepted['TLSv1.2'] && !i.accepted['TLSv1.3']) caps.push(['F', 'neither TLS 1.2 nor TLS 1.3 is accepted']);
  if (i.expired) caps.push(['F', 'the certificate is expired or not yet valid']);
  if (!i.trusted) caps.push(['T', 'the certificate chain does not lead to a trusted CA']);
  if (!i.nameMatches) caps.push(['T', 'the certificate does not name the host']);
  if (i.weak.legacy) caps.push(['C', '3DES/RC4/NULL/EXPORT ciphers are accepted']);
  if (i.accepted.TLSv1 || i.accepted['TLSv1.1']) caps.push(['B', 'TLS 1.0 or 1.1 is accepted (deprecated by RFC 8996)']);
  if (i.weak.noForwardSecrecy) caps.push(['B', 'ciphers without forward secrecy (RSA key exchange) are accepted']);
  if (!i.aead) caps.push(['A-', 'no AEAD cipher (GCM, CHACHA20-POLY1305) is negotiated']);
  if (!i.accepted['TLSv1.3']) caps.push(['A-', 'TLS 1.3 is not accepted']);
  if (caps.length > 0) {
    const worst = caps.reduce((g, [c]) => (ORDER.indexOf(c) < ORDER.indexOf(g) ? c : g), 'A' as Grade);
    return { grade: worst, reasons: caps.map(([g, why]) => `${g}: ${why}`) };
  }
  const reasons = ['TLS 1.2/1.3 only, forward-secret AEAD ciphers, trusted chain naming the host'];
  if (i.weak.cbc) reasons.push('CBC ciphers with forward secrecy are accepted too (not capped; the Mozilla profile leaves them out)');
  if ((i.hstsMaxAge ?? 0) >= HSTS_FOR_A_PLUS) return { grade: 'A+', reasons: [...reasons, `HSTS for ${i.hstsMaxAge} s (six months or more)`] };
  return { grade: 'A', reasons: [...reasons, i.hstsMaxAge ? `HSTS only for ${i.hstsMaxAge} s: six months earn A+` : 'no HSTS: with it (six months or more) A+'] };
}
