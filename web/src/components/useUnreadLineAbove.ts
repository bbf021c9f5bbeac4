/**
 * Whether the list offers the way up to its "New messages" line: the line is loaded but above the
 * view, and the reader has not seen it yet. A tab hidden for an hour comes back at the newest (the
 * list followed them as they came) with hundreds above it, and the last screenful says nothing of
 * them. Once the line has been on screen in a tab in front (the room opened there, the reader went
 * by it), it is not offered again: that would nag the reader going on down from it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { usePageVisible } from '../chat/ChatContext.tsx';

/** Where the line is against the scrolled view. */
export type LinePlace = 'above' | 'shown' | 'below';

interface Seen {
  /** The line this is about ("room:seq"): a line moved down, or another room's, starts unseen. */
  key: string | null;
  seen: boolean;
  above: boolean;
  /**
   * The newest seq when the way up was first offered in the tab in front: its count stops there.
   * Those that come after are read as they come (or counted by "N new messages ↓"), and ChatRoom's
   * arrival line says each: a count in a status region going up with them would say each again.
   */
  upTo: number | null;
}

/**
 * `line` is the seq the line is drawn above in room `roomId`, null for none; `newest` the newest
 * seq the list holds. Returns whether to offer the way up, the seq its count goes up to (null: the
 * newest; not offered in the tab in front yet), and the function the list's scroller is handed to
 * (its scrolling is watched).
 */
export function useUnreadLineAbove(
  roomId: number,
  line: number | null,
  newest: number | null,
): { offer: boolean; upTo: number | null; watch: (scroller: HTMLElement | null) => void } {
  const visible = usePageVisible();
  const [view, watch] = useState<HTMLElement | null>(null);
  const key = line === null ? null : `${roomId}:${line}`;
  const [state, setState] = useState<Seen>({ key, seen: false, above: false, upTo: null });
  let current = state;
  if (state.key !== key) {
    current = { key, seen: false, above: false, upTo: null };
    setState(current);
  }
  const offer = current.key !== null && current.above && !current.seen;
  // While the tab is hidden the count follows what comes (heard by no one); back in front it is kept.
  if (offer && visible && current.upTo === null && newest !== null) {
    current = { ...current, upTo: newest };
    setState(current);
  }
  const visibleNow = useRef(visible);
  visibleNow.current = visible;

  const check = useCallback(() => {
    if (!view || line === null) return;
    const place = linePlace(view, line);
    const above = place === 'above';
    // Seen only by a reader in front of the tab: what passed on screen in a hidden one was not.
    const shown = place === 'shown' && visibleNow.current;
    setState((s) => {
      if (s.key !== key) return s;
      const seen = s.seen || shown;
      return s.above === above && s.seen === seen ? s : { ...s, above, seen };
    });
  }, [view, line, key]);

  useEffect(() => {
    if (!view) return;
    // Once a frame at most, however fast the scroll events come.
    let frame = 0;
    const onScroll = () => {
      if (frame === 0) frame = requestAnimationFrame(() => ((frame = 0), check()));
    };
    view.addEventListener('scroll', onScroll, { passive: true });
    check();
    return () => {
      view.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(frame);
    };
  }, [view, check]);
  // Back in the tab: is the line there to be seen?
  useEffect(() => {
    if (visible) check();
  }, [visible, check]);

  return { offer, upTo: current.upTo, watch };
}

/**
 * Where the "New messages" line, above message `line`, is in `view` (the list's scroller). Not
 * rendered, it is above when the first row rendered comes after it (the list renders a contiguous
 * run of rows), else below. "Shown" is any of it in view.
 */
export function linePlace(view: HTMLElement, line: number): LinePlace {
  const v = view.getBoundingClientRect();
  // Not laid out (hidden, or jsdom): nothing is shown, so nothing is offered either.
  if (v.height === 0) return 'below';
  const sep = view.querySelector('.unread-separator');
  if (!sep) {
    const first = view.querySelector('[data-seq]');
    return first && Number(first.getAttribute('data-seq')) > line ? 'above' : 'below';
  }
  const r = sep.getBoundingClientRect();
  if (r.bottom <= v.top) return 'above';
  if (r.top >= v.bottom) return 'below';
  return 'shown';
}
