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
