/**
 * What Django's deployment checks mean for a CATMAID instance behind the nginx server block catmaid-tui writes
 * (which redirects http and can send HSTS itself).
 */
const MEANINGS: Record<string, string> = {
  'security.W001': 'SecurityMiddleware is not in MIDDLEWARE: none of the SECURE_* settings take effect.',
  'security.W002': 'XFrameOptionsMiddleware is missing: other sites can show CATMAID in a frame (clickjacking).',
  'security.W004': 'Django sends no HSTS header (SECURE_HSTS_SECONDS). nginx sends it when generated with --hsts; then this can be ignored.',
  'security.W005': 'HSTS does not cover subdomains (SECURE_HSTS_INCLUDE_SUBDOMAINS). Only matters if Django sends HSTS.',
  'security.W006': 'No X-Content-Type-Options: nosniff header (SECURE_CONTENT_TYPE_NOSNIFF): browsers may guess file types.',
  'security.W008': 'Django does not redirect http to https (SECURE_SSL_REDIRECT). The port-80 nginx server does; safe to ignore behind it.',
  'security.W009': 'SECRET_KEY is short, simple or a default: sessions and signed values can be forged. Generate a new one.',
  'security.W012': 'The session cookie may travel over plain http (SESSION_COOKIE_SECURE): a login can be stolen.',
  'security.W016': 'The CSRF cookie may travel over plain http (CSRF_COOKIE_SECURE).',
  'security.W018': 'DEBUG is on: error pages show code, settings and queries to anyone. Set DEBUG = False.',
  'security.W019': 'X_FRAME_OPTIONS is not DENY: pages can be framed by the same site.',
  'security.W020': 'ALLOWED_HOSTS is empty: Django answers no host name (every request fails with 400).',
  'security.W021': 'HSTS preload is off (SECURE_HSTS_PRELOAD). Optional; preloading is hard to undo.',
  'security.W022': 'No Referrer-Policy (SECURE_REFERRER_POLICY): full URLs leak to other sites in the Referer header.',
  'security.W024': 'SECRET_KEY_FALLBACKS has a weak key.',
};

export function deployWarningMeaning(id: string): string {
  return MEANINGS[id] ?? 'see https://docs.djangoproject.com/en/stable/ref/checks/#security';
}
