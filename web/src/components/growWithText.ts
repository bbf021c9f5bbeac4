/**
 * The message and edit boxes grow with their text up to their CSS max-height. CSS
 * `field-sizing: content` does it where it exists (Chromium); Safari and Firefox have no such
 * property and kept one line, the rest of a longer message scrolled out of sight inside the box:
 * there the height is set from the text after each change, and when the box's width changes (a
 * phone turned: the same text wraps to more or fewer lines).
 */
import { useEffect, useLayoutEffect, type RefObject } from 'react';

function sizedByCss(): boolean {
  return typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('field-sizing', 'content');
}

function fitToText(box: HTMLTextAreaElement): void {
  // Back to the CSS height first, so the box also shrinks when lines are deleted.
  box.style.height = '';
  const style = getComputedStyle(box);
  const borders = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
  // scrollHeight is the text with its padding; the box is border-box (styles.css). max-height still caps it.
  if (box.scrollHeight > box.clientHeight) box.style.height = `${box.scrollHeight + borders}px`;
}

export function useGrowWithText(ref: RefObject<HTMLTextAreaElement | null>, text: string): void {
  useLayoutEffect(() => {
    const box = ref.current;
    if (box && !sizedByCss()) fitToText(box);
  }, [ref, text]);

  useEffect(() => {
    const box = ref.current;
    if (!box || sizedByCss() || typeof ResizeObserver === 'undefined') return;
    // Only a new width: the height set here would otherwise call this again.
    let width = box.clientWidth;
    const observer = new ResizeObserver(() => {
      if (box.clientWidth === width) return;
      width = box.clientWidth;
      fitToText(box);
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [ref]);
}
