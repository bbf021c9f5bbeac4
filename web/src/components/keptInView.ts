/**
 * An edit typed at length grows its box (up to its cap), and the form with it: a character count, a
 * note. Brought into view only when the edit began, its end slid under the message box, Save and Cancel
 * with it. While the focus is in the form, each time it grows it is brought back into the list's view,
 * its buttons first when it is taller than the view. Not when it merely comes back into the list (its
 * row scrolled back, the room reopened) or the focus is elsewhere: the reader's scrolling is theirs.
 */
import { useEffect, type RefObject } from 'react';

export function useKeptInView(form: RefObject<HTMLElement | null>, end: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = form.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let height = el.getBoundingClientRect().height;
    const observer = new ResizeObserver(() => {
      const now = el.getBoundingClientRect().height;
      const grew = now > height + 0.5;
      height = now;
      if (!grew || !el.contains(document.activeElement)) return;
      el.scrollIntoView?.({ block: 'nearest' });
      end.current?.scrollIntoView?.({ block: 'nearest' });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [form, end]);
}
