import type { EffectiveSettings } from '../../tasks/instance/types.js';

/** What the SSL form asks: the same choices as `catmaid-tui ssl`'s flags. */
export interface SslForm {
  serverName: string;
  source: 'files' | 'self-signed' | 'acme';
  cert: string;
  key: string;
  /** Let's Encrypt writes here before the certificate expires. */
  email: string;
  /** Empty: take it from the CATMAID server block nginx already has. */
  upstream: string;
  /** Empty: the file that holds the CATMAID server block in `nginx -T`. */
  siteFile: string;
  hsts: boolean;
  django: boolean;
  /** With the Django toggle: add the server name to ALLOWED_HOSTS when it is missing. */
  allowedHost: boolean;
}

export type FieldId = keyof SslForm | 'submit';
export type TextField = 'serverName' | 'cert' | 'key' | 'email' | 'upstream' | 'siteFile';

export const FIELD_LABEL: Record<FieldId, string> = {
  serverName: 'Server name',
  source: 'Certificate',
  cert: 'Certificate file',
  key: 'Key file',
  email: 'E-mail',
  upstream: 'Upstream',
  siteFile: 'Site file',
  hsts: 'HSTS',
  django: 'Django settings',
  allowedHost: 'ALLOWED_HOSTS',
  submit: '',
};

const TEXT_FIELDS: readonly FieldId[] = ['serverName', 'cert', 'key', 'email', 'upstream', 'siteFile'];
export const isTextField = (id: FieldId): id is TextField => TEXT_FIELDS.includes(id);

export interface FormState {
  values: SslForm;
  focus: FieldId;
  /** The text being typed into the focused field; undefined while not editing. */
  draft?: string;
  /** Why the form cannot be planned yet, as one line. */
  error?: string;
}

export type FormEvent =
  | { type: 'move'; by: 1 | -1 }
  | { type: 'edit' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'keep' }
  | { type: 'discard' }
  | { type: 'toggle' }
  | { type: 'error'; text: string | undefined };

/** The fields shown: file paths for files, the e-mail for Let's Encrypt, the hosts toggle with Django's. */
export function visibleFields(values: SslForm): FieldId[] {
  const source: FieldId[] = values.source === 'files' ? ['cert', 'key'] : values.source === 'acme' ? ['email'] : [];
  return ['serverName', 'source', ...source, 'upstream', 'siteFile', 'hsts', 'django', ...(values.django ? ['allowedHost' as const] : []), 'submit'];
}

const NEXT_SOURCE: Record<SslForm['source'], SslForm['source']> = { acme: 'files', files: 'self-signed', 'self-signed': 'acme' };

/** A host name Django already answers to is the likely server name; wildcards and '.example.org' forms are not. */
export function initialForm(settings: EffectiveSettings): FormState {
  const host = settings.allowedHosts.find((h) => h !== '*' && !h.startsWith('.') && h !== 'localhost') ?? '';
  const djangoDone = settings.sessionCookieSecure && settings.csrfCookieSecure && settings.secureProxySslHeader !== null;
  return {
    values: { serverName: host, source: 'acme', cert: '', key: '', email: '', upstream: '', siteFile: '', hsts: false, django: !djangoDone, allowedHost: false },
    focus: 'serverName',
  };
}

export function formReducer(state: FormState, event: FormEvent): FormState {
  const { values, focus } = state;
  switch (event.type) {
    case 'move': {
      if (state.draft !== undefined) return state;
      const fields = visibleFields(values);
      const at = Math.max(0, fields.indexOf(focus));
      return { ...state, focus: fields[Math.max(0, Math.min(fields.length - 1, at + event.by))] };
    }
    case 'edit':
      return isTextField(focus) ? { ...state, draft: values[focus], error: undefined } : state;
    case 'type':
      // Paths and host names are one line: control characters (a pasted newline) are dropped.
      return state.draft === undefined ? state : { ...state, draft: state.draft + event.text.replace(/\p{C}/gu, '') };
    case 'erase':
      return state.draft === undefined ? state : { ...state, draft: state.draft.slice(0, -1) };
    case 'keep':
      if (state.draft === undefined || !isTextField(focus)) return state;
      return { ...state, values: { ...values, [focus]: state.draft.trim() }, draft: undefined };
    case 'discard':
      return { ...state, draft: undefined };
    case 'toggle': {
      if (state.draft !== undefined) return state;
      if (focus === 'source') return { ...state, values: { ...values, source: NEXT_SOURCE[values.source] }, error: undefined };
      if (focus === 'hsts' || focus === 'django' || focus === 'allowedHost') return { ...state, values: { ...values, [focus]: !values[focus] } };
      return state;
    }
    case 'error':
      return { ...state, error: event.text };
  }
}

/** What stops the form from being planned, or undefined when it can be. */
export function formProblem(values: SslForm): string | undefined {
  if (!values.serverName) return 'fill in the server name (the public host name, e.g. catmaid.example.org)';
  if (/[\s;{}'"]/.test(values.serverName)) return `server name "${values.serverName}": a host name has no spaces, quotes, ; or braces`;
  if (values.source === 'files' && (!values.cert || !values.key)) {
    return 'fill in the certificate and key files, or switch the certificate to Let\'s Encrypt or self-signed (space)';
  }
  if (values.source === 'acme' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) {
    return 'fill in the e-mail address Let\'s Encrypt writes to before the certificate expires';
  }
  return undefined;
}

/** How a field's value reads on the form. */
export function fieldValue(values: SslForm, id: FieldId): string {
  switch (id) {
    case 'source':
      return { acme: "‹ Let's Encrypt (certbot, renewed automatically) ›", files: '‹ from files ›', 'self-signed': '‹ self-signed (for testing) ›' }[values.source];
    case 'allowedHost':
      return values.allowedHost ? '[x] add the server name when missing' : '[ ] leave as it is';
    case 'hsts':
    case 'django':
      return values[id] ? '[x] on' : '[ ] off';
    case 'upstream':
      return values.upstream || '(from the running nginx)';
    case 'siteFile':
      return values.siteFile || '(the one serving CATMAID in nginx -T)';
    case 'submit':
      return '[ Show the plan ]';
    default:
      return values[id] || '(empty)';
  }
}
