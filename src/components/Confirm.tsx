import { Box, Text } from 'ink';
import { actionFor, hintLine } from '../hooks/keymap.js';
import { useCurrentReducer } from '../hooks/useCurrentReducer.js';
import { useKeyRoute } from '../hooks/useKeyRoute.js';
import { Badge } from './Badge.js';
import { confirmKeys, confirmOutcome, confirmReducer, dangerousKeys, initialConfirm } from './confirm-state.js';

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
  const [state, dispatch, current] = useCurrentReducer(confirmReducer, undefined, initialConfirm);
  // A question over a screen: through the shell it takes the keys before the screen from the render that drew it.
  const { release } = useKeyRoute(
    {
      // While the word is typed every key is its own (q and ? are text, Esc cancels); a choice keeps q and Esc.
      hold: () => (dangerous ? 'typing' : 'busy'),
      // The status bar shows only these while the word is typed (q, ? and Esc back are text then).
      keys: dangerous ? dangerousKeys : undefined,
      take: (press) => {
        const answer = (done: () => void): void => {
          // The rest of a chunk goes to the screen, which has closed the question by then.
          release();
          done();
        };
        if (dangerous) {
          const action = actionFor(dangerousKeys, press.name);
          if (action === 'enter') {
            if (confirmOutcome(current(), dangerous.word) === 'confirm') answer(onConfirm);
            else dispatch({ type: 'mismatch' });
          } else if (action === 'cancel') answer(onCancel);
          else if (action === 'erase') dispatch({ type: 'erase' });
          else if (press.text) dispatch({ type: 'type', text: press.text });
          return;
        }
        const action = actionFor(confirmKeys, press.name);
        const outcome = action === 'enter' ? confirmOutcome(current()) : undefined;
        if (action === 'toggle') dispatch({ type: 'toggle' });
        else if (outcome === 'confirm' || action === 'yes') answer(onConfirm);
        else if (outcome === 'cancel' || action === 'no' || action === 'cancel') answer(onCancel);
      },
    },
    isActive,
    'question',
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
