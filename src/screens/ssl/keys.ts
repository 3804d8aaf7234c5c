import type { KeyBinding } from '../../hooks/keymap.js';

export type SslAction =
  | 'up' | 'down' | 'pgup' | 'pgdn' | 'top' | 'bottom' | 'enter' | 'toggle' | 'plan' | 'apply' | 'edit' | 'restart' | 'probe' | 'back';

const formMove: KeyBinding<SslAction>[] = [
  { action: 'up', keys: ['up', 'shift+tab'], label: '↑ ⇧Tab', help: 'previous field', hint: '↑↓ field' },
  { action: 'down', keys: ['down', 'tab'], label: '↓ Tab', help: 'next field' },
];

/** On the form: fields are edited with ⏎, so ?, q and Esc keep working between them. */
export const formKeys: KeyBinding<SslAction>[] = [
  ...formMove,
  { action: 'enter', keys: ['enter'], label: '⏎', help: 'edit the field, switch the choice, or show the plan', hint: '⏎ edit' },
  { action: 'toggle', keys: ['space'], label: 'space', help: "switch the certificate source (Let's Encrypt, files, self-signed) or a toggle", hint: 'space switch' },
  { action: 'plan', keys: ['p'], label: 'p', help: 'show the plan: configuration, diff and checks (writes nothing)', hint: 'p plan' },
];

/** While a field is being typed into, every other key is text. */
export { fieldEditKeys as editKeys } from '../../hooks/useFormInput.js';

const scrollKeys: KeyBinding<SslAction>[] = [
  { action: 'up', keys: ['up', 'k'], label: '↑ k', help: 'scroll up', hint: '↑↓ scroll' },
  { action: 'down', keys: ['down', 'j'], label: '↓ j', help: 'scroll down' },
  { action: 'pgup', keys: ['pgup', 'b'], label: 'PgUp b', help: 'a page up' },
  { action: 'pgdn', keys: ['pgdn', 'space'], label: 'PgDn space', help: 'a page down' },
  { action: 'top', keys: ['home', 'g'], label: 'Home g', help: 'to the top' },
  { action: 'bottom', keys: ['end', 'G'], label: 'End G', help: 'to the end' },
];

const editKey: KeyBinding<SslAction> = { action: 'edit', keys: ['e'], label: 'e', help: 'back to the form', hint: 'e edit' };

export const applyKey: KeyBinding<SslAction> = {
  action: 'apply', keys: ['a'], label: 'a', help: 'write the site file (backup kept), nginx -t, and the Django block if chosen (asks first)', hint: 'a apply',
};

export const restartKey: KeyBinding<SslAction> = {
  action: 'restart', keys: ['r'], label: 'r', help: 'restart nginx so it loads the new certificate (asks first)', hint: 'r restart nginx',
};

export const probeKey: KeyBinding<SslAction> = {
  action: 'probe', keys: ['p'], label: 'p', help: 'probe the live site: protocols, ciphers, chain, expiry, OCSP, HSTS, redirect, HTTP/2, grade', hint: 'p probe',
};

const backKey: KeyBinding<SslAction> = { action: 'back', keys: ['left', 'backspace'], label: '← ⌫', help: 'back to the result', hint: '← result' };

/** The plan: a applies only when the certificate checks passed. */
export function planKeys(mayApply: boolean): KeyBinding<SslAction>[] {
  return mayApply ? [...scrollKeys, applyKey, editKey] : [...scrollKeys, editKey];
}

/** The result: r restarts nginx (until it has been), p probes the live site. */
export function resultKeys(mayRestart: boolean): KeyBinding<SslAction>[] {
  return [...scrollKeys, ...(mayRestart ? [restartKey] : []), probeKey, editKey];
}

/** The probe's report: scroll, probe again, back to the result. */
export const probeKeys: KeyBinding<SslAction>[] = [...scrollKeys, { ...probeKey, help: 'probe again', hint: 'p again' }, backKey];

/** What the help lists on opening: every key the screen can have, with when it applies. */
export const sslKeys: KeyBinding<SslAction>[] = [
  ...formKeys,
  { ...scrollKeys[0], help: 'plan and result: scroll up' },
  { ...scrollKeys[1], help: 'plan and result: scroll down' },
  { ...applyKey, help: `${applyKey.help}; offered when the certificate checks pass` },
  { ...restartKey, help: `${restartKey.help}; after applying` },
  { ...probeKey, help: `${probeKey.help}; after applying` },
  editKey,
];
