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

export interface ScrollWindow {
  start: number;
  end: number;
  /** Rows cut off above and below the window; a list that scrolls says so. */
  above: number;
  below: number;
}

/**
 * The window of a list in `height` lines: all of it when it fits; otherwise one line goes to saying how much is
 * out of view ("↑ 2 more · ↓ 3 more") and the rest to rows around the selected one.
 */
export function scrollWindow(selected: number, count: number, height: number): ScrollWindow {
  if (count <= height) return { start: 0, end: count, above: 0, below: 0 };
  const { start, end } = visibleWindow(selected, count, Math.max(1, height - 1));
  return { start, end, above: start, below: count - end };
}

/** "↑ 2 more · ↓ 3 more", or undefined when nothing is out of view. */
export function scrollNote({ above, below }: ScrollWindow): string | undefined {
  const parts = [above > 0 ? `↑ ${above} more` : '', below > 0 ? `↓ ${below} more` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}
