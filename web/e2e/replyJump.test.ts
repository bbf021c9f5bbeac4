/**
 * A reply's quote leads to the original: pressing it scrolls the
 * conversation there (loading older pages first when the original is not
 * loaded yet) and highlights it; a deleted original is said to be deleted.
 * What is checked is where the list ends up, after react-virtuoso has
 * measured the rows it scrolled over, not that a scroll was asked for.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestServer } from '@ecc/server/testing';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom, wheelTo } from './support/app.ts';

const ROOM = /Deep clean/;
const SEEDED = 240;

/** Replies at the end of the room to "Old line 5" (pages away), "Old line 210" (loaded, out of view) and "Old line 100" (deleted); all read by Alice. */
async function seedReplies(server: TestServer): Promise<void> {
  await seedBobLines(server, SEEDED, 'Old line');
  const demo = server.demo;
  const alice = demo?.users.client1;
  if (!demo || !alice) throw new Error('demo data missing');
  const page = await server.store.history({ roomId: demo.roomId, limit: 500 });
  const idOf = (text: string) => {
    const m = page.messages.find((msg) => msg.content === text);
    if (!m) throw new Error(`${text} not seeded`);
    return m.id;
  };
  await server.store.deleteMessage(idOf('Old line 100'), new Date(), demo.users.cleaner1?.id ?? 0);
  const replies = [
    { to: 'Old line 5', text: 'About line five' },
    { to: 'Old line 210', text: 'About line two-ten' },
    { to: 'Old line 100', text: 'About a deleted line' },
  ];
  const results = await server.store.appendMessages(
    replies.map((r, i) => ({ roomId: demo.roomId, senderId: alice.id, type: 'text' as const, content: r.text, clientId: `reply-${i}`, replyToId: idOf(r.to) })),
  );
  const last = results.at(-1);
  if (!last?.ok) throw new Error('seeding the replies failed');
  // Read: the room opens at its newest messages (the replies), not at a "New messages" line.
  await markDemoRoomRead(server, 'client1');
}

/** The text of the message that says exactly this (not a quote of it); relative, so usable in `has`. */
function ownText(page: Page, text: string) {
  return page.locator('.message-text').filter({ hasText: new RegExp(`^${text}$`) });
}

function messageText(page: Page, text: string) {
  return messageLog(page).locator(ownText(page, text));
}

/** Whether the message with exactly this text is entirely inside the scrolled view of the conversation. */
async function inView(page: Page, text: string): Promise<boolean> {
  const bubble = messageText(page, text);
  if ((await bubble.count()) === 0) return false;
  return bubble.evaluate((el) => {
    const view = el.closest('.message-list')?.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return view !== undefined && box.top >= view.top && box.bottom <= view.bottom;
  });
}

function article(page: Page, text: string) {
  return messageLog(page).getByRole('article').filter({ has: ownText(page, text) });
}

function quoteOf(page: Page, reply: string) {
  return article(page, reply).getByRole('button', { name: /^Show the original message from/ });
}

describe.runIf(chromiumAvailable())('jumping from a reply to the original', () => {
  const app = signedInApp({ alice: 'client1' }, seedReplies);

  it('loads the older pages the original is on, scrolls to it and highlights it', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await expect.poll(() => inView(page, 'About a deleted line'), { timeout: WAIT }).toBe(true);
    // Four pages back: not loaded yet.
    expect(await messageText(page, 'Old line 5').count()).toBe(0);

    await quoteOf(page, 'About line five').click();
    await expect.poll(() => inView(page, 'Old line 5'), { timeout: WAIT }).toBe(true);
    await expect.poll(() => article(page, 'Old line 5').locator('xpath=ancestor::div[contains(@class, "jump-highlight")]').count(), { timeout: WAIT }).toBe(1);
    // Focus moved with it (for the keyboard): on the original itself, not left on the quote.
    await expect.poll(() => page.evaluate(() => {
      const focused = document.activeElement;
      return focused?.getAttribute('role') === 'article' ? focused.querySelector('.message-text')?.textContent : null;
    }), { timeout: WAIT }).toBe('Old line 5');
    // The highlight passes, and the original is still there: react-virtuoso has measured the rows
    // it jumped over by now, and a size correction would have moved it away.
    await expect.poll(() => page.locator('.jump-highlight').count(), { timeout: WAIT }).toBe(0);
    await page.waitForTimeout(500);
    expect(await inView(page, 'Old line 5')).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'Finding the original message' }).count()).toBe(0);
  });

  it('goes to a loaded original from the keyboard, highlighted without animation when motion is reduced', async () => {
    const page = app.alice.page;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await wheelTo(page, 'end');
    await expect.poll(() => inView(page, 'About line two-ten'), { timeout: WAIT }).toBe(true);
    expect(await inView(page, 'Old line 210')).toBe(false);

    await quoteOf(page, 'About line two-ten').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => inView(page, 'Old line 210'), { timeout: WAIT }).toBe(true);
    const bubble = page.locator('.jump-highlight .bubble');
    await bubble.waitFor({ timeout: WAIT });
    expect(await bubble.textContent()).toContain('Old line 210');
    expect(await bubble.evaluate((el) => [getComputedStyle(el).animationName, getComputedStyle(el).boxShadow])).toEqual(['none', expect.stringContaining('rgb(245, 158, 11)')]);
    await expect.poll(() => page.locator('.jump-highlight').count(), { timeout: WAIT }).toBe(0);
    expect(await inView(page, 'Old line 210')).toBe(true);

    // Space works as well (it is a button).
    await wheelTo(page, 'end');
    await expect.poll(() => inView(page, 'Old line 210'), { timeout: WAIT }).toBe(false);
    await quoteOf(page, 'About line two-ten').focus();
    await page.keyboard.press('Space');
    await expect.poll(() => inView(page, 'Old line 210'), { timeout: WAIT }).toBe(true);
    await page.emulateMedia({ reducedMotion: null });
  });

  it('says a deleted original was deleted, and stays where the reader is', async () => {
    const page = app.alice.page;
    await wheelTo(page, 'end');
    await expect.poll(() => inView(page, 'About a deleted line'), { timeout: WAIT }).toBe(true);
    const quote = quoteOf(page, 'About a deleted line');
    expect(await quote.textContent()).toContain('Message deleted');
    await quote.click();
    const status = page.getByRole('status').filter({ hasText: 'The original message was deleted.' });
    await status.waitFor({ timeout: WAIT });
    expect(await inView(page, 'About a deleted line')).toBe(true);
    expect(await page.locator('.jump-highlight').count()).toBe(0);
    // It passes by itself.
    await expect.poll(() => status.count(), { timeout: WAIT }).toBe(0);
  });
});
