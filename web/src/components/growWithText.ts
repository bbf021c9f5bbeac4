/**
 * The message and edit boxes grow with their text up to their CSS max-height. CSS
 * `field-sizing: content` does it where it exists (Chromium); Safari and Firefox have no such
 * property and kept one line, the rest of a longer message scrolled out of sight inside the box:
 * there the height is set from the text after each change.
 */
import { useLayoutEffect, type RefObject } from 'react';

function sizedByCss(): boolean {
  return typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('field-sizing', 'content');
}

export function useGrowWithText(ref: RefObject<HTMLTextAreaElement | null>, text: string): void {
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box || sizedByCss()) return;
    // Back to the CSS height first, so the box also shrinks when lines are deleted.
    box.style.height = '';
    const style = getComputedStyle(box);
    const borders = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
    // scrollHeight is the text with its padding; the box is border-box (styles.css). max-height still caps it.
    if (box.scrollHeight > box.clientHeight) box.style.height = `${box.scrollHeight + borders}px`;
  }, [ref, text]);
}
