/**
 * Keeps the keyboard's place on the open-jobs board: a card that goes while the focus is in it
 * (another cleaner took the job, its client cancelled it, a list read dropped it) hands the focus
 * to the next card, else the one before, else the section's heading — not to <body>, where a
 * keyboard or screen-reader user would have to start again from the top.
 */
import { useCallback, useLayoutEffect, useRef } from 'react';

export function useKeepBoardFocus(openIds: readonly number[], handledByPage: (jobId: number) => boolean) {
  const cards = useRef(new Map<number, HTMLElement>());
  const shown = useRef<readonly number[]>([]);
  const dropped = useRef<number | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // A stable ref callback: its cleanup runs only when the card leaves, while it is still in the
  // document — the one moment it can tell that it held the focus.
  const cardRef = useCallback((card: HTMLElement | null) => {
    if (!card) return;
    const id = Number(card.dataset.jobId);
    cards.current.set(id, card);
    return () => {
      if (cards.current.get(id) === card) cards.current.delete(id);
      if (card.contains(document.activeElement)) dropped.current = id;
    };
  }, []);

  // Every commit, before the page's own refocus effect (which acts only when the focus is lost).
  useLayoutEffect(() => {
    const before = shown.current;
    shown.current = openIds;
    const id = dropped.current;
    dropped.current = null;
    // A job the cleaner acted on: the page takes the keyboard to its card or to the reason it failed.
    if (id === null || cards.current.has(id) || handledByPage(id)) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const at = before.indexOf(id);
    const neighbours = at < 0 ? [] : [...before.slice(at + 1), ...before.slice(0, at).reverse()];
    const next = neighbours.map((n) => cards.current.get(n)).find((card) => card !== undefined);
    (next ?? heading.current)?.focus();
  });

  return { cardRef, heading };
}
