import { actionFor, type KeyBinding } from './keymap.js';
import { useKeyRoute } from './useKeyRoute.js';

/** What a text field hears while it is edited. */
export type FieldEvent = { type: 'type'; text: string } | { type: 'keep' } | { type: 'erase' } | { type: 'discard' };

/** While a field is edited every key is text, except ⏎ (keep), ⌫ and Esc (leave it as it was). */
export const fieldEditKeys: KeyBinding<'keep' | 'erase' | 'discard'>[] = [
  { action: 'keep', keys: ['enter'], label: '⏎', help: 'keep what was typed', hint: '⏎ keep' },
  { action: 'erase', keys: ['backspace'], label: '⌫', help: 'erase a character' },
  { action: 'discard', keys: ['esc'], label: 'Esc', help: 'leave the field as it was', hint: 'esc undo' },
];

export interface FormRouting<A extends string> {
  /** The form's newest state (`useCurrentReducer`'s `current`), read at each key: a field is edited while it has a draft. */
  form(): { draft?: string };
  field(event: FieldEvent): void;
  /** The screen's keys while no field is edited ([] while it asks or works). */
  bindings: readonly KeyBinding<A>[];
  onAction(action: A): void;
  /**
   * The screen's newest state has asked a question (a Confirm): it takes the keys once drawn; until then the
   * shell keeps them for it, and q and Esc stay with the screen.
   */
  asking?(): boolean;
}

/**
 * The one input handler of a form screen (useKeyRoute): each key goes to the field being edited (q, ? and Esc
 * are its text then) or to the screen's key map, by the form's newest state.
 */
export function useFormInput<A extends string>(routing: FormRouting<A>, isActive: boolean): void {
  useKeyRoute(
    {
      hold: () => (routing.form().draft !== undefined ? 'typing' : routing.asking?.() ? 'busy' : undefined),
      waiting: () => routing.asking?.() ?? false,
      take: (press) => {
        // Alone (screen tests) the screen hears the keys too: a question asked has them.
        if (routing.asking?.()) return;
        if (routing.form().draft !== undefined) {
          const action = actionFor(fieldEditKeys, press.name);
          if (action) routing.field({ type: action });
          else if (press.text) routing.field({ type: 'type', text: press.text });
          return;
        }
        const action = actionFor(routing.bindings, press.name);
        if (action !== undefined) routing.onAction(action);
      },
    },
    isActive,
  );
}
