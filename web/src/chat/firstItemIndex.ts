/**
 * react-virtuoso's `firstItemIndex` for prepending: it must drop by exactly the
 * number of items added at the top, and must not change otherwise. Seqs are
 * gap-free and the loaded window contiguous, so the drop is the change of the
 * first loaded seq.
 */

/** Where the index starts: far enough from 0 for any number of older pages. */
export const FIRST_ITEM_INDEX_START = 10_000_000;

export function nextFirstItemIndex(index: number, prevFirstSeq: number | undefined, firstSeq: number | undefined): number {
  if (prevFirstSeq === undefined || firstSeq === undefined || firstSeq >= prevFirstSeq) return index;
  return Math.max(0, index - (prevFirstSeq - firstSeq));
}
