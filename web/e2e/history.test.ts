/**
 * A long conversation: only the latest page loads first, and scrolling up
 * loads older pages through `history` without the view jumping, until the
 * start of the conversation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '@ecc/server/testing';
import { chromiumAvailable, launchBrowser } from './support/browser.ts';
import { WAIT, messageLog, openRoom, signIn, type SignedIn } from './support/app.ts';

const SEEDED = 240;

describe.runIf(chromiumAvailable())('history paging', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: SignedIn;

  beforeAll(async () => {
    server = await startTestServer();
    const demo = server.demo;
    if (!demo) throw new Error('demo data missing');
    const bobId = demo.users.cleaner1?.id;
    if (!bobId) throw new Error('cleaner1 missing');
    const results = await server.store.appendMessages(
      Array.from({ length: SEEDED }, (_, i) => ({
        roomId: demo.roomId,
        senderId: bobId,
        type: 'text' as const,
        content: `History line ${i + 1}`,
        clientId: `history-${i + 1}`,
      })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    browser = await launchBrowser();
    alice = await signIn(browser, server.url, 'client1');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the latest messages first and older ones on scrolling up, keeping the view in place', async () => {
    const page = alice.page;
    await openRoom(page, /Deep clean/);
    const log = messageLog(page);
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain(`History line ${SEEDED}`);
    // Only the recent page was fetched: the first lines are not even in memory yet.
    expect(await log.getByText('History line 1', { exact: true }).count()).toBe(0);

    const scroller = page.locator('.message-list');
    let pagesLoaded = 0;
    for (let i = 0; i < 20 && !(await log.textContent())?.includes('This is the start of the conversation'); i++) {
      const topBefore = await firstVisibleText(page);
      await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
      // Once an older page arrived, the message that was on top is still on screen (no jump to the top).
      await expect.poll(async () => (await scroller.evaluate((el) => el.scrollTop)) > 0 || (await log.textContent())?.includes('start of the conversation'), { timeout: WAIT }).toBe(true);
      if (topBefore && !(await log.textContent())?.includes('start of the conversation')) {
        expect(await isOnScreen(page, topBefore)).toBe(true);
      }
      pagesLoaded++;
    }
    expect(pagesLoaded).toBeGreaterThanOrEqual(3);
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain('History line 1');
    await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain('This is the start of the conversation');
  });
});

/** Text of the top-most message article inside the visible part of the list. */
function firstVisibleText(page: SignedIn['page']): Promise<string | null> {
  return page.evaluate(() => {
    const list = document.querySelector('.message-list');
    if (!list) return null;
    const top = list.getBoundingClientRect().top;
    for (const el of list.querySelectorAll('[role="article"] .message-text')) {
      if (el.getBoundingClientRect().top >= top) return el.textContent;
    }
    return null;
  });
}

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
