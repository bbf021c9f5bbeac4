/**
 * The line above the message box that says what is being answered ("Replying to Alice Client: …") shows
 * the start of a right-to-left message, as the quote in the sent reply does: laid out in the line's
 * left-to-right order and cut at its right end, an Arabic or Hebrew message showed only its last words.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom, panel, send } from './support/app.ts';

const ROOM = /Deep clean/;

/** Whether the first character of the quoted text is drawn inside the visible part of the reply line. */
function startShown(page: Page, quoted: string): Promise<boolean> {
  return panel(page)
    .locator('.composer-reply')
    .evaluate((line, text) => {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(text) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        const first = range.getBoundingClientRect();
        // Every box that cuts off what overflows it, up to the reply line.
        for (let box = node.parentElement; box && line.contains(box); box = box.parentElement) {
          if (getComputedStyle(box).overflow === 'visible') continue;
          const shown = box.getBoundingClientRect();
          if (first.left < shown.left - 0.5 || first.right > shown.right + 0.5) return false;
        }
        return true;
      }
      return false;
    }, quoted);
}

describe.runIf(chromiumAvailable())('the reply line above the message box', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  it('shows the beginning of a long right-to-left message being answered, as of a left-to-right one', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    const messages = [
      'مرحبا، المفتاح تحت السجادة عند الباب الأمامي. شكرا لك على المساعدة اليوم، أراك غدا في الصباح',
      'שלום, המפתח מתחת לשטיח ליד הדלת הקדמית. תודה רבה על העזרה היום, נתראה מחר בבוקר',
      'Hello, the key is under the mat by the front door. Thank you for the help today, see you tomorrow',
    ];
    const shown: Record<string, boolean> = {};
    for (const text of messages) {
      await send(alice.page, text);
      const received = messageLog(bob.page).getByRole('article').filter({ hasText: text });
      await received.hover({ timeout: WAIT });
      await received.getByRole('button', { name: 'Reply to Alice Client' }).click();
      await panel(bob.page).locator('.composer-reply').filter({ hasText: text.slice(0, 20) }).waitFor({ timeout: WAIT });
      shown[text.slice(0, 6)] = await startShown(bob.page, text.slice(0, 20));
      await panel(bob.page).getByRole('button', { name: 'Cancel reply' }).click();
    }
    expect(shown).toEqual(Object.fromEntries(messages.map((text) => [text.slice(0, 6), true])));
  });
});
