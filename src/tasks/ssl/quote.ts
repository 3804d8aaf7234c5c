import { UsageError } from '../errors.js';
import { hasNoControlCharacters } from '../safe-name.js';

/**
 * Values typed by the admin or read from settings.py end up in two languages: nginx configuration and Python.
 * Each is written as one token of that language or refused, so no value can end a directive, open a block or
 * add a line.
 */

function refuseControl(value: string, what: string): void {
  if (!hasNoControlCharacters(value)) {
    throw new UsageError(`${what} ${JSON.stringify(value)}: contains a control character (a newline or the like)`, 'type it on one line');
  }
}

/**
 * One nginx word. nginx reads `"…"` as one token in which `\"` and `\\` are the quote and the backslash, and
 * `; { } #` and blanks are plain characters; a `$` would start a variable in most directives, so it is refused.
 */
export function nginxWord(value: string, what: string): string {
  if (value === '') throw new UsageError(`${what}: empty`);
  refuseControl(value, what);
  if (value.includes('$')) throw new UsageError(`${what} ${JSON.stringify(value)}: contains $, which nginx reads as a variable`);
  if (!/[\s;{}"'\\#]/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An absolute URL path for a `location` (a static folder's URL): starts with `/`, no query, one word. */
export function nginxLocationPath(value: string, what: string): string {
  if (!value.startsWith('/')) throw new UsageError(`${what} ${JSON.stringify(value)}: a location path starts with /`);
  if (/[?#]/.test(value)) throw new UsageError(`${what} ${JSON.stringify(value)}: a location path has no ? or #`);
  return nginxWord(value, what);
}

/** A Python string literal for settings.py: single quotes, with `\` and `'` escaped. */
export function pythonString(value: string, what: string): string {
  refuseControl(value, what);
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

const HOSTNAME = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A server name for `server_name`, a certificate and ALLOWED_HOSTS: a host name or an IPv4 address. */
export function checkServerName(name: string): string {
  refuseControl(name, '--server-name');
  if (!HOSTNAME.test(name) && !IPV4.test(name)) {
    throw new UsageError(`--server-name ${JSON.stringify(name)}: not a host name`, 'e.g. --server-name catmaid.example.org');
  }
  return name;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The address Let's Encrypt writes to about expiry; it goes to certbot as one argument. */
export function checkEmail(email: string): string {
  refuseControl(email, '--email');
  if (!EMAIL.test(email) || email.startsWith('-')) throw new UsageError(`--email ${JSON.stringify(email)}: not an e-mail address`);
  return email;
}
