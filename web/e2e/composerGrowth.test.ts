/**
 * The newest message stays in sight when the composer under the conversation grows (a text of
 * several lines, a reply's quote, a file attached): the conversation gets shorter from below, and a
 * reader at its end must not find the newest message hidden under the box they are answering it in.
 * jsdom lays nothing out: only a browser shows it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom, wheelTo } from './support/app.ts';

const ROOM = /Deep clean/;
const SEEDED = 30;
const NEWEST = `Earlier line ${SEEDED}`;

describe.runIf(chromiumAvailable())('composer growth', () => {
  // Enough messages that the room scrolls; read, so it opens at the newest.
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    await seedBobLines(server, SEEDED, 'Earlier line');
    await markDemoRoomRead(server, 'client1');
  });

  /** How many pixels of the newest message's bubble are hidden below the conversation's visible end (0: all in sight). */
  function hiddenBelow(page: Page): Promise<number> {
    return messageLog(page)
      .getByText(NEWEST, { exact: true })
      .evaluate((el) => {
        const view = el.closest('.message-list')?.getBoundingClientRect();
        const bubble = el.closest('.bubble')?.getBoundingClientRect();
        return view && bubble ? Math.max(0, bubble.bottom - view.bottom) : Number.POSITIVE_INFINITY;
      });
  }

  it('keeps the newest message in sight as the message box grows with a text of several lines, and as a reply is started', async () => {
    const { page } = app.alice;
    await openRoom(page, ROOM);
    await messageLog(page).getByText(NEWEST, { exact: true }).waitFor({ timeout: WAIT });
    await expect.poll(() => hiddenBelow(page), { timeout: WAIT }).toBe(0);
    const list = page.locator('.message-list');
    const before = await list.evaluate((el) => el.clientHeight);

    const box = page.getByLabel('Message', { exact: true });
    // Typed line by line, as a person does: the box grows a line at a time.
    await box.click();
    for (const line of ['Keys:', '1. under the mat', '2. spare with the neighbour', '3. garage code 4512']) {
      await page.keyboard.type(line);
      await page.keyboard.press('Shift+Enter');
    }
    await page.keyboard.type('4. alarm 9988');
    // The conversation is shorter by what the box grew...
    await expect.poll(() => list.evaluate((el) => el.clientHeight), { timeout: WAIT }).toBeLessThan(before - 40);
    // ...and still ends at the newest message.
    await expect.poll(() => hiddenBelow(page), { timeout: WAIT }).toBe(0);

    // A reply's quote above the box takes another line.
    const shorter = await list.evaluate((el) => el.clientHeight);
    const newest = messageLog(page).getByRole('article').filter({ hasText: NEWEST });
    // From the keyboard: the actions show while the message holds the focus (a hover is lost if the list scrolls).
    await newest.getByRole('button', { name: /^Reply to/ }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.composer-reply').waitFor({ timeout: WAIT });
    await expect.poll(() => list.evaluate((el) => el.clientHeight), { timeout: WAIT }).toBeLessThan(shorter);
    await expect.poll(() => hiddenBelow(page), { timeout: WAIT }).toBe(0);

    // Cancelled and emptied, the box gives the room back: the end still shows the newest.
    await page.getByRole('button', { name: 'Cancel reply' }).click();
    await box.fill('');
    await expect.poll(() => list.evaluate((el) => el.clientHeight), { timeout: WAIT }).toBe(before);
    await expect.poll(() => hiddenBelow(page), { timeout: WAIT }).toBe(0);
  });

  it('leaves a reader of older messages where they are when the box grows', async () => {
    const { page } = app.alice;
    await openRoom(page, ROOM);
    await messageLog(page).getByText(NEWEST, { exact: true }).waitFor({ timeout: WAIT });
    await wheelTo(page, 'start');
    const list = page.locator('.message-list');
    const readingAt = await list.evaluate((el) => el.scrollTop);
    await page.getByLabel('Message', { exact: true }).fill('One\nTwo\nThree\nFour');
    await page.waitForTimeout(300);
    // Not pulled down to the newest: the top of the view stays on what is being read.
    expect(await list.evaluate((el) => el.scrollTop)).toBe(readingAt);
    await page.getByLabel('Message', { exact: true }).fill('');
  });
});
