/**
 * A long conversation: only the latest page loads first, and scrolling up
 * loads older pages through `history` without the view jumping, until the
 * start of the conversation; a short one says where it starts right above its first message.
 */
import { describe, expect, it } from 'vitest';
import type { TestServer } from '@ecc/server/testing';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom, type SignedIn } from './support/app.ts';

const SEEDED = 240;

/** A long conversation Alice has read: the room opens at its newest page (unread, it would open at the first new message, pages back). */
async function seedRead(server: TestServer): Promise<void> {
  await seedBobLines(server, SEEDED, 'History line');
  await markDemoRoomRead(server, 'client1');
}

describe.runIf(chromiumAvailable())('history paging', () => {
  const app = signedInApp({ alice: 'client1' }, seedRead);

  it('loads the latest messages first and older ones on scrolling up, keeping the view in place', async () => {
    const page = app.alice.page;
    await openRoom(page, /Deep clean/);
    const log = messageLog(page);
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain(`History line ${SEEDED}`);
    // Only the recent page was fetched: the first lines are not even in memory yet.
    expect(await log.getByText('History line 1', { exact: true }).count()).toBe(0);

    const scroller = page.locator('.message-list');
    // Let the list settle at the bottom (its initial position) first.
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight - 4), { timeout: WAIT }).toBe(true);
    let pagesLoaded = 0;
    for (let i = 0; i < 20 && !(await log.textContent())?.includes('This is the start of the conversation'); i++) {
      // Scroll to the top and note the message shown there once the list has rendered it.
      const topBefore = await scroller.evaluate(async (el) => {
        el.scrollTo({ top: 0 });
        for (let f = 0; f < 3; f++) await new Promise((r) => requestAnimationFrame(r));
        const top = el.getBoundingClientRect().top;
        for (const text of el.querySelectorAll('[role="article"] .message-text')) {
          if (text.getBoundingClientRect().bottom > top) return text.textContent;
        }
        return null;
      });
      // Once an older page arrived above it, that message is still on screen: the view did not jump.
      await expect
        .poll(async () => (await scroller.evaluate((el) => el.scrollTop)) > 0 || (await log.textContent())?.includes('start of the conversation'), { timeout: WAIT })
        .toBe(true);
      if (topBefore) expect(await isOnScreen(page, topBefore)).toBe(true);
      pagesLoaded++;
    }
    expect(pagesLoaded).toBeGreaterThanOrEqual(3);
    // The very first messages of the room (the job's system message, then the seeded conversation) are reached.
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain('accepted the job');
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain('Thanks for taking the job');
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain('This is the start of the conversation');
  });

  it('takes the keyboard on into the conversation from "Newest messages ↓", which goes once they are shown: to the newest message', async () => {
    const page = app.alice.page;
    const log = messageLog(page);
    // At the start of the conversation (the test above), hundreds of rows above the newest.
    await page.locator('.message-list').evaluate((el) => el.scrollTo({ top: 0 }));
    const newest = page.getByRole('button', { name: 'Newest messages ↓' });
    await newest.focus({ timeout: WAIT });
    await page.keyboard.press('Enter');
    await expect.poll(() => newest.count(), { timeout: WAIT }).toBe(0);
    expect(await isOnScreen(page, `History line ${SEEDED}`)).toBe(true);
    // Not dropped on <body> with the button, nor left on the list (where Enter and the arrow keys do nothing of
    // the conversation's): once there, the newest message has it, and the keys go on from it.
    const focusedText = () => page.evaluate(() => (document.activeElement?.getAttribute('role') === 'article' ? (document.activeElement.textContent ?? '') : ''));
    await expect.poll(focusedText, { timeout: WAIT }).toContain(`History line ${SEEDED}`);
    expect(await log.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  });
});

describe.runIf(chromiumAvailable())('a short conversation', () => {
  const app = signedInApp({ alice: 'client1' });

  it('says where it starts right above its first message, not at the top of the empty space above it', async () => {
    const { page } = app.alice;
    // A new support room: its greeting alone, at the bottom of a list with room to spare.
    await page.getByRole('button', { name: 'Contact support' }).click();
    const log = messageLog(page);
    const first = log.getByRole('article', { name: 'System notice' });
    await first.waitFor({ timeout: WAIT });
    const start = log.getByText('This is the start of the conversation');
    await start.waitFor({ timeout: WAIT });
    const gap = async () => {
      const [line, message] = await Promise.all([start.boundingBox(), first.boundingBox()]);
      return line && message ? message.y - (line.y + line.height) : Number.POSITIVE_INFINITY;
    };
    // Only the day ("Today") between them.
    await expect.poll(gap, { timeout: WAIT }).toBeLessThan(60);
    expect(await gap()).toBeGreaterThanOrEqual(0);
  });
});

function isOnScreen(page: SignedIn['page'], text: string): Promise<boolean> {
  return page.evaluate((t) => {
    const list = document.querySelector('.message-list');
    if (!list) return false;
    const box = list.getBoundingClientRect();
    return [...list.querySelectorAll('[role="article"] .message-text')].some((el) => {
      const r = el.getBoundingClientRect();
      return el.textContent === t && r.bottom > box.top && r.top < box.bottom;
    });
  }, text);
}
