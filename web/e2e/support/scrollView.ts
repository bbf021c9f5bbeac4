/** Where message rows sit in the conversation's scrolled view: what a reader sees move (or not). */
import type { Page } from 'playwright-core';

/** The top of the row of `seq` relative to the scroller's top, or null when not rendered. */
export function rowTop(page: Page, seq: number): Promise<number | null> {
  return page.evaluate((s) => {
    const list = document.querySelector('.message-list');
    const row = list?.querySelector(`[data-seq="${s}"]`);
    return list && row ? row.getBoundingClientRect().top - list.getBoundingClientRect().top : null;
  }, seq);
}

/** The first row showing more than `margin` px inside the scrolled view, and where its top is. */
export function topRow(page: Page, margin = 5): Promise<{ seq: number; top: number } | null> {
  return page.evaluate((m) => {
    const list = document.querySelector('.message-list');
    if (!list) return null;
    const top = list.getBoundingClientRect().top;
    for (const row of list.querySelectorAll('[data-seq]')) {
      const box = row.getBoundingClientRect();
      if (box.bottom > top + m) return { seq: Number(row.getAttribute('data-seq')), top: box.top - top };
    }
    return null;
  }, margin);
}

/**
 * The "New messages" line's place in the scrolled view: its top relative to the scroller's top and
 * the view's height (the line is in view for 0 ≤ top < height), or null when it is not rendered.
 */
export function unreadLinePlace(page: Page): Promise<{ top: number; height: number } | null> {
  return page.evaluate(() => {
    const list = document.querySelector('.message-list');
    const line = list?.querySelector('[role="separator"][aria-label="New messages"]');
    if (!list || !line) return null;
    return { top: line.getBoundingClientRect().top - list.getBoundingClientRect().top, height: list.clientHeight };
  });
}

/** Whether the message with exactly this text is rendered and all of it inside the scrolled view. */
export function messageInView(page: Page, text: string): Promise<boolean> {
  return page.evaluate((t) => {
    const list = document.querySelector('.message-list');
    const bubble = [...(list?.querySelectorAll('.message-text') ?? [])].find((el) => el.textContent === t);
    if (!list || !bubble) return false;
    const view = list.getBoundingClientRect();
    const box = bubble.getBoundingClientRect();
    return box.height > 0 && box.top >= view.top && box.bottom <= view.bottom;
  }, text);
}
