/**
 * Arrow keys in a list of rows: which row a key moves focus to. Pure, so the
 * rules are tested without a DOM; the list applies them to rows that may not
 * be rendered yet (ChatList).
 */

/** The index `key` moves to from `index` in a list of `count` rows, or null for a key that does not move. */
export function targetIndex(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, index + 1);
    case 'ArrowUp':
      return Math.max(0, index - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
