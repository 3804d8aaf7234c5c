/** Selection in a vertical list, as plain functions (testable without a terminal). */
export type MenuMove = 'up' | 'down' | 'first' | 'last';

/** The next selected index; stops at the ends rather than wrapping, like htop and k9s. */
export function moveSelection(index: number, count: number, move: MenuMove): number {
  if (count <= 0) return 0;
  const current = Math.min(Math.max(index, 0), count - 1);
  switch (move) {
    case 'up':
      return Math.max(0, current - 1);
    case 'down':
      return Math.min(count - 1, current + 1);
    case 'first':
      return 0;
    case 'last':
      return count - 1;
  }
}

/** Which rows of a list fit in `height` lines so that the selected one stays visible. */
export function visibleWindow(selected: number, count: number, height: number): { start: number; end: number } {
  if (height <= 0) return { start: 0, end: 0 };
  if (count <= height) return { start: 0, end: count };
  const start = Math.min(Math.max(0, selected - Math.floor(height / 2)), count - height);
  return { start, end: start + height };
}
