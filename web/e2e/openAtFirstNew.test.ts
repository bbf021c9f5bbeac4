/**
 * A room with more new messages than the first page holds opens at the first
 * of them, under the "New messages" line, once the older pages up to it are
 * loaded (not at the newest, then jumping); it stays there while
 * react-virtuoso measures the rows around it; nothing below is read until the
 * reader scrolls to the end. Further back than the list loads at once, it
 * opens at the newest and a button goes up to the first new one.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestServer } from '@ecc/server/testing';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, chatsButton, messageLog, openRoom, send, wheelTo } from './support/app.ts';

const ROOM = /Deep clean/;
const READ = 60;
/** More than the first page (50), fewer than the list loads at once (500). */
const UNREAD = 80;
/** More than the list loads at once. */
const FAR = 520;

/** `read` lines from Bob that Alice has read, then `unread` lines she has not. */
async function seedBehind(server: TestServer, read: number, unread: number): Promise<void> {
  if (read > 0) {
    await seedBobLines(server, read, 'Read line');
    await markDemoRoomRead(server, 'client1');
  }
  await seedBobLines(server, unread, 'Unread line');
}

/** Whether the element is entirely inside the scrolled view of the conversation. */
function insideList(el: Element): boolean {
  const view = el.closest('.message-list')?.getBoundingClientRect();
  const box = el.getBoundingClientRect();
  return view !== undefined && box.height > 0 && box.top >= view.top && box.bottom <= view.bottom;
}

/** Whether the message with exactly this text is inside the scrolled view of the conversation. */
async function inView(page: Page, text: string): Promise<boolean> {
  const bubble = messageLog(page).locator('.message-text').filter({ hasText: new RegExp(`^${text}$`) });
  if ((await bubble.count()) === 0) return false;
  return bubble.evaluate(insideList);
}

function newMessagesLine(page: Page) {
  return messageLog(page).getByRole('separator', { name: 'New messages' });
}

async function lineInView(page: Page): Promise<boolean> {
  const line = newMessagesLine(page);
  return (await line.count()) > 0 && line.evaluate(insideList);
}

/**
 * Resolves with what the conversation shows first once it is opened: the newest message or the
 * "New messages" line (any part of it in view). Watches every change of the page, so a newest
 * message shown for a moment before the list moves to the line is caught too.
 */
function firstShown(page: Page, newest: string): Promise<string> {
  return page.evaluate(
    ([newestText, wait]) =>
      new Promise<string>((resolve) => {
        const shows = (el: Element) => {
          const view = el.closest('.message-list')?.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          return view !== undefined && box.height > 0 && box.top < view.bottom && box.bottom > view.top;
        };
        const observer = new MutationObserver(() => {
          const log = document.querySelector('[role="log"]');
          if (!log) return;
          const newestShown = [...log.querySelectorAll('.message-text')].some((el) => el.textContent === newestText && shows(el));
          const lineShown = [...log.querySelectorAll('[role="separator"][aria-label="New messages"]')].some(shows);
          if (!newestShown && !lineShown) return;
          observer.disconnect();
          resolve(newestShown ? 'the newest message' : 'the "New messages" line');
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        setTimeout(() => {
          observer.disconnect();
          resolve('neither');
        }, wait);
      }),
    [newest, WAIT] as const,
  );
}

describe.runIf(chromiumAvailable())('a room with more new messages than the first page', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, (server) => seedBehind(server, READ, UNREAD));

  it('opens at the first new message under the "New messages" line, never showing the newest first, and stays there', async () => {
    const page = app.alice.page;
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe(`Chats, ${UNREAD} unread`);
    const shown = firstShown(page, `Unread line ${UNREAD}`);
    await openRoom(page, ROOM);
    expect(await shown).toBe('the "New messages" line');
    await expect.poll(() => inView(page, 'Unread line 1'), { timeout: WAIT }).toBe(true);
    await expect.poll(() => lineInView(page), { timeout: WAIT }).toBe(true);
    // What was read before is above the line.
    const rows = await messageLog(page).locator('.message-row').allTextContents();
    const lineAt = rows.findIndex((t) => t.includes('New messages'));
    expect(rows[lineAt]).toContain('Unread line 1');
    expect(rows[lineAt - 1]).toContain(`Read line ${READ}`);
    // Still there once react-virtuoso has measured the rows around it; nothing below it read.
    await page.waitForTimeout(1500);
    expect(await inView(page, 'Unread line 1')).toBe(true);
    expect(await lineInView(page)).toBe(true);
    expect(await inView(page, `Unread line ${UNREAD}`)).toBe(false);
    expect(await chatsButton(page).getAttribute('aria-label')).toBe(`Chats, ${UNREAD} unread`);
  });

  it('keeps the reader at the first new message when another arrives, and reads everything once they scroll to the end', async () => {
    const { alice, bob } = app;
    await openRoom(bob.page, ROOM);
    await send(bob.page, 'Keys are in the lockbox, code 2580');
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe(`Chats, ${UNREAD + 1} unread`);
    await alice.page.getByRole('button', { name: `${UNREAD + 1} new messages ↓` }).waitFor({ timeout: WAIT });
    // Not pulled down to it.
    await alice.page.waitForTimeout(500);
    expect(await inView(alice.page, 'Unread line 1')).toBe(true);

    await expect
      .poll(async () => {
        await wheelTo(alice.page, 'end');
        return inView(alice.page, 'Keys are in the lockbox, code 2580');
      }, { timeout: WAIT })
      .toBe(true);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    // The line went by on the way down: no button offers the way back up to it.
    await alice.page.waitForTimeout(500);
    expect(await alice.page.getByRole('button', { name: /unread message/ }).count()).toBe(0);
  });
});

describe.runIf(chromiumAvailable())('a room more new messages behind than the list loads at once', () => {
  const app = signedInApp({ alice: 'client1' }, (server) => seedBehind(server, 0, FAR));

  it('opens at the newest as before, and a button there goes up to the first new message', async () => {
    const page = app.alice.page;
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe(`Chats, ${FAR} unread`);
    await openRoom(page, ROOM);
    await expect.poll(() => inView(page, `Unread line ${FAR}`), { timeout: WAIT }).toBe(true);
    // Read there, as a room opened at the newest always was.
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    const up = page.getByRole('button', { name: `↑ ${FAR} unread messages` });
    await up.waitFor({ timeout: WAIT });

    await up.click();
    await expect.poll(() => inView(page, 'Unread line 1'), { timeout: WAIT }).toBe(true);
    expect(await lineInView(page)).toBe(true);
    await page.waitForTimeout(1500);
    expect(await inView(page, 'Unread line 1')).toBe(true);
    expect(await up.count()).toBe(0);
  });
});
