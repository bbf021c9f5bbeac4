/**
 * An edit typed at length grows its box (up to its cap), and the form with it: a character count, a
 * note. Brought into view only when the edit began, its end slid under the message box, Save and Cancel
 * with it. Each time the form grows from what the user types in it, it is brought back into the list's
 * view, its buttons first when it is taller than the view. Only then: grown otherwise (the message
 * changed elsewhere, the chat closed, a rotation, a panel resized) or merely back in the list (its row
 * scrolled back, the room reopened), it is left where the reader scrolled it, the focus in it or not.
 */
import { useEffect, type RefObject } from 'react';

export function useKeptInView(form: RefObject<HTMLElement | null>, end: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = form.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let height = el.getBoundingClientRect().height;
    // Set by the user's input in the form, for the layout that follows it: the box and the form grow in
    // the frame the text changes, and the observer is told in that frame, after its animation callbacks.
    let typed = false;
    let frame = 0;
    const onInput = () => {
      typed = true;
      cancelAnimationFrame(frame);
      // Two frames: a callback asked for now runs before this frame's layout, the second after it.
      frame = requestAnimationFrame(() => (frame = requestAnimationFrame(() => (typed = false))));
    };
    el.addEventListener('input', onInput);
    const observer = new ResizeObserver(() => {
      const now = el.getBoundingClientRect().height;
      const grew = now > height + 0.5;
      height = now;
      if (!grew || !typed) return;
      el.scrollIntoView?.({ block: 'nearest' });
      end.current?.scrollIntoView?.({ block: 'nearest' });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      el.removeEventListener('input', onInput);
      cancelAnimationFrame(frame);
    };
  }, [form, end]);
}
