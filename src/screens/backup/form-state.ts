/**
 * A small form as a pure reducer, shared by the Backup and Schedule screens: text fields edited with ⏎ (every
 * other key is text then), choice fields switched with space or ← →, and one action row that submits. Values are
 * kept as text; each screen reads them into its options and says what is wrong with them.
 */
export type FieldKind = 'text' | 'choice' | 'action';

export interface FieldSpec {
  id: string;
  label: string;
  kind: FieldKind;
  /** Choice fields: the values in the order space walks through them. */
  choices?: readonly string[];
  /** What the field shows while empty, e.g. '(keep all)'. */
  placeholder?: string;
}

export interface FormState {
  values: Record<string, string>;
  focus: string;
  /** The text being typed into the focused field; undefined while not editing. */
  draft?: string;
  /** Why the form cannot go on, as one line. */
  error?: string;
}

export type FormEvent =
  | { type: 'move'; by: 1 | -1; fields: readonly FieldSpec[] }
  | { type: 'edit' }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'keep' }
  | { type: 'discard' }
  | { type: 'cycle'; field: FieldSpec; by: 1 | -1 }
  | { type: 'set'; id: string; value: string }
  | { type: 'error'; text: string | undefined };

export function initialForm(values: Record<string, string>, focus: string): FormState {
  return { values, focus };
}

export function formReducer(state: FormState, event: FormEvent): FormState {
  switch (event.type) {
    case 'move': {
      if (state.draft !== undefined) return state;
      const ids = event.fields.map((f) => f.id);
      const at = Math.max(0, ids.indexOf(state.focus));
      return { ...state, focus: ids[Math.max(0, Math.min(ids.length - 1, at + event.by))] };
    }
    case 'edit':
      return { ...state, draft: state.values[state.focus] ?? '', error: undefined };
    case 'type':
      // Every field is one line: control characters (a pasted newline) are dropped.
      return state.draft === undefined ? state : { ...state, draft: state.draft + event.text.replace(/\p{C}/gu, '') };
    case 'erase':
      return state.draft === undefined ? state : { ...state, draft: state.draft.slice(0, -1) };
    case 'keep':
      if (state.draft === undefined) return state;
      return { ...state, values: { ...state.values, [state.focus]: state.draft.trim() }, draft: undefined };
    case 'discard':
      return { ...state, draft: undefined };
    case 'cycle': {
      const choices = event.field.choices ?? [];
      if (state.draft !== undefined || choices.length === 0) return state;
      const at = choices.indexOf(state.values[event.field.id]);
      const next = choices[(at + event.by + choices.length) % choices.length];
      return { ...state, values: { ...state.values, [event.field.id]: next }, error: undefined };
    }
    case 'set':
      return { ...state, values: { ...state.values, [event.id]: event.value } };
    case 'error':
      return { ...state, error: event.text };
  }
}

/** A whole number of at least 1, or the problem with the text; empty gives `empty`. */
export function readCount(text: string, what: string, empty: number | null): { value: number | null; problem?: string } {
  if (text.trim() === '') return { value: empty };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) return { value: null, problem: `${what}: "${text}" is not a whole number ≥ 1` };
  return { value: n };
}
