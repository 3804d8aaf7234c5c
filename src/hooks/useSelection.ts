import { useCallback, useRef, useState } from 'react';
import { moveSelection, type MenuMove } from '../components/menu-state.js';

/**
 * The selected row of a list. The ref is updated at once, so keys arriving in one chunk ('j' then Enter)
 * act on the row the previous key chose, not on the one last rendered.
 */
export function useSelection(count: number): { selected: number; move: (move: MenuMove) => void; current: () => number } {
  const [selected, setSelected] = useState(0);
  const latest = useRef(0);
  const move = useCallback(
    (how: MenuMove) => {
      latest.current = moveSelection(latest.current, count, how);
      setSelected(latest.current);
    },
    [count],
  );
  const current = useCallback(() => Math.min(latest.current, Math.max(0, count - 1)), [count]);
  return { selected: Math.min(selected, Math.max(0, count - 1)), move, current };
}
