import { Box, Text, useInput } from 'ink';
import { useReducer } from 'react';
import { actionFor, hintLine, keyName, keyNames } from '../hooks/keymap.js';
import { useHold } from '../hooks/shell-context.js';
import { Badge } from './Badge.js';
import { confirmKeys, confirmOutcome, confirmReducer, dangerousKeys, initialConfirm, type ConfirmEvent } from './confirm-state.js';

export interface ConfirmProps {
  message: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** Destructive step: the user must type this exact word (e.g. the database name). */
  dangerous?: { word: string };
  yesLabel?: string;
  noLabel?: string;
  isActive?: boolean;
}

/** Ask before doing something. Enter alone always takes the safe choice unless the user moved off it. */
export function Confirm({
  message,
  onConfirm,
  onCancel,
  dangerous,
  yesLabel = 'Yes',
  noLabel = 'No',
  isActive = true,
}: ConfirmProps) {
  const [state, dispatch] = useReducer(confirmReducer, undefined, initialConfirm);
  useHold('typing', isActive && dangerous !== undefined);

  const finish = (): void => {
    const outcome = confirmOutcome(state, dangerous?.word);
    if (outcome === 'confirm') onConfirm();
    else if (outcome === 'cancel') onCancel();
    else dispatch({ type: 'mismatch' });
  };

  useInput(
    (input, key) => {
      const name = keyName(input, key);
      if (dangerous) {
        // A pasted word with its ⏎ (or ⌫ and ⏎ sent together) arrives as one chunk: take it key by key, keeping
        // the typed text up to date locally so that ⏎ judges what came before it in the same chunk.
        const names = keyNames(input, key);
        const chars = names.length > 1 ? [...input] : [input];
        let current = state;
        const apply = (event: ConfirmEvent): void => {
          current = confirmReducer(current, event);
          dispatch(event);
        };
        for (const [i, keyname] of names.entries()) {
          const action = actionFor(dangerousKeys, keyname);
          if (action === 'enter') {
            if (confirmOutcome(current, dangerous.word) === 'confirm') onConfirm();
            else apply({ type: 'mismatch' });
            return;
          }
          if (action === 'cancel') return onCancel();
          if (action === 'erase') apply({ type: 'erase' });
          else if (chars[i] && !key.ctrl && !key.meta) apply({ type: 'type', text: chars[i] });
        }
        return;
      }
      const action = actionFor(confirmKeys, name);
      if (action === 'toggle') dispatch({ type: 'toggle' });
      else if (action === 'enter') finish();
      else if (action === 'yes') onConfirm();
      else if (action === 'no' || action === 'cancel') onCancel();
    },
    { isActive },
  );

  if (dangerous) {
    return (
      <Box flexDirection="column">
        <Badge kind="warn">{message}</Badge>
        <Text>
          Type <Text bold>{dangerous.word}</Text> to confirm: {state.typed}
          <Text inverse> </Text>
        </Text>
        {state.mismatch && <Badge kind="fail">{`that is not "${dangerous.word}"; nothing was done`}</Badge>}
        <Text dimColor>{hintLine(dangerousKeys)}</Text>
      </Box>
    );
  }
  const option = (choice: 'no' | 'yes', label: string) => (
    <Text inverse={state.choice === choice} bold={state.choice === choice}>
      {state.choice === choice ? `› ${label} ` : `  ${label} `}
    </Text>
  );
  return (
    <Box flexDirection="column">
      <Text>{message}</Text>
      <Box gap={2}>
        {option('no', noLabel)}
        {option('yes', yesLabel)}
      </Box>
      <Text dimColor>{hintLine(confirmKeys)} · y/n</Text>
    </Box>
  );
}
