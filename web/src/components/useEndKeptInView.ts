/**
 * A scrolled list whose box gets shorter from below (the composer under the conversation grows
 * with a text of several lines, a reply's quote, a file attached) keeps its scroll position from
 * the top: the newest message slid under the composer, out of sight, for the reader who was at
 * the end. react-virtuoso follows new items at the end, not a viewport that shrinks (nor a last
 * row that grows: useEndShownFor).
 */
import { useCallback, useEffect, useRef, type RefObject } from 'react';

/**
 * Returns a callback ref for the scroller: while it is mounted, a reader within `threshold` px of
 * the end when the box shrinks is kept at the end. A reader further up stays where they are.
 */
export function useEndKeptInView(threshold: number): (el: HTMLElement | null) => void {
  const kept = useRef<{ el: HTMLElement; stop: () => void } | null>(null);
  useEffect(() => () => kept.current?.stop(), []);
  return useCallback(
    (el: HTMLElement | null) => {
      if (kept.current?.el === el) return;
      kept.current?.stop();
      kept.current = el ? { el, stop: keepEndInView(el, threshold) } : null;
    },
    [threshold],
  );
}

/** Keeps `el` scrolled to its end when it gets shorter while it was there; returns the function that stops it. */
export function keepEndInView(el: HTMLElement, threshold: number): () => void {
  if (typeof ResizeObserver === 'undefined') return () => {};
  const atEnd = () => el.scrollHeight - el.scrollTop - el.clientHeight <= threshold;
  // Where the reader was at the last scroll, at the size the box had then: the box shrinking moves
  // no scroll position, so fires no scroll event, and measured after it the end is out of sight.
  let wasAtEnd = atEnd();
  let height = el.clientHeight;
  const onScroll = () => {
    wasAtEnd = atEnd();
  };
  const observer = new ResizeObserver(() => {
    const shorter = el.clientHeight < height;
    height = el.clientHeight;
    if (shorter && wasAtEnd) el.scrollTop = el.scrollHeight;
  });
  el.addEventListener('scroll', onScroll, { passive: true });
  observer.observe(el);
  return () => {
    observer.disconnect();
    el.removeEventListener('scroll', onScroll);
  };
}

/**
 * Scrolls to the end each time `key` changes to another row (null: nothing to show), then again the
 * next two frames: Virtuoso measures a row that grew a frame or two after it is drawn.
 */
export function useEndShownFor(key: string | null, scroller: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = scroller.current;
    if (key === null || !el) return;
    const toEnd = () => {
      el.scrollTop = el.scrollHeight;
    };
    toEnd();
    let frame = requestAnimationFrame(() => {
      toEnd();
      frame = requestAnimationFrame(toEnd);
    });
    return () => cancelAnimationFrame(frame);
  }, [key, scroller]);
}
