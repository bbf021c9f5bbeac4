/** Whether a text is what shows: the start of one cut to fit one line (right-to-left text cut in left-to-right order showed its end), or the whole of it. */
import type { Locator } from 'playwright-core';

/** The same long line in Arabic, Hebrew and English: each too long for one line of the panel. */
export const LONG_LINES = [
  'مرحبا، المفتاح تحت السجادة عند الباب الأمامي. شكرا لك على المساعدة اليوم، أراك غدا في الصباح',
  'שלום, המפתח מתחת לשטיח ליד הדלת הקדמית. תודה רבה על העזרה היום, נתראה מחר בבוקר',
  'Hello, the key is under the mat by the front door. Thank you for the help today, see you tomorrow',
];

/**
 * True when the first character of `text`, found in `container`, is drawn inside every box between
 * the two that cuts off what overflows it (the part an ellipsis replaces is not shown).
 */
export function startShown(container: Locator, text: string): Promise<boolean> {
  return container.evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      const first = range.getBoundingClientRect();
      for (let box = node.parentElement; box && root.contains(box); box = box.parentElement) {
        if (getComputedStyle(box).overflow === 'visible') continue;
        const shown = box.getBoundingClientRect();
        if (first.left < shown.left - 0.5 || first.right > shown.right + 0.5) return false;
      }
      return true;
    }
    return false;
  }, text);
}

/** Drawn whole: not cut with an ellipsis or clamped, nor clipped by a box around it. */
export function wholeShown(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight) return false;
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    for (let up: Element | null = el; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflow === 'visible') continue;
      const box = up.getBoundingClientRect();
      if (text.left < box.left - 0.5 || text.right > box.right + 0.5 || text.top < box.top - 0.5 || text.bottom > box.bottom + 0.5) return false;
    }
    return true;
  });
}
