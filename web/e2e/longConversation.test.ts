/**
 * A client and a cleaner who have chatted for months: thousands of messages with photos, PDFs,
 * replies to messages long before, edits, deletions, long words and emoji. What the reader of
 * such a room sees on opening it and moving through it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ChatClient } from '@ecc/client';
import { nodeWebSocket } from '@ecc/client/node';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { seedLongConversation, type LongConversation } from './support/longConversation.ts';
import { WAIT, messageLog, openRoom } from './support/app.ts';
import { rowTop, topRow } from './support/scrollView.ts';

const ROOM = /Deep clean/;
const MESSAGES = 5000;
/** Unread on opening: the "New messages" line is pages back, with older pages still above it. */
const UNREAD = 300;

/** The seqs of the rows inside the scrolled view of the conversation. */
function seqsInView(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const list = document.querySelector('.message-list');
    if (!list) return [];
    const view = list.getBoundingClientRect();
    return [...list.querySelectorAll('[data-seq]')]
      .filter((row) => {
        const box = row.getBoundingClientRect();
        return box.bottom > view.top && box.top < view.bottom;
      })
      .map((row) => Number(row.getAttribute('data-seq')));
  });
}

function lineInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const line = document.querySelector('.message-list .unread-separator');
    const view = document.querySelector('.message-list')?.getBoundingClientRect();
    if (!line || !view) return false;
    const box = line.getBoundingClientRect();
    return box.height > 0 && box.top >= view.top && box.bottom <= view.bottom;
  });
}

describe.runIf(chromiumAvailable())('a long conversation, opened after a long absence', () => {
  let long: LongConversation;
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    long = await seedLongConversation(server, MESSAGES);
    await server.store.markRead(long.roomId, long.alice.id, long.lastSeq - UNREAD);
  });

  it('opens at the "New messages" line and stays there while older pages load above it', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await expect.poll(() => lineInView(page), { timeout: WAIT }).toBe(true);
    // The list reaches the top of what it loaded and asks for an older page: that page lands above
    // the reader, who is not carried off towards the newest.
    await page.waitForTimeout(2500);
    expect(await lineInView(page)).toBe(true);
    expect(await messageLog(page).locator(`[data-seq="${long.lastSeq}"]`).count()).toBe(0);
  });

  it('stays where the reader scrolled up to while the older page they reached loads', async () => {
    const page = app.alice.page;
    await page.locator('.message-list').hover();
    // Up past the read messages loaded above the line, to the top of what is loaded.
    for (let i = 0; i < 30 && !(await page.locator('.list-header').textContent())?.includes('Loading'); i++) {
      await page.mouse.wheel(0, -300);
      await page.waitForTimeout(50);
    }
    const reading = (await seqsInView(page))[0] ?? 0;
    await page.waitForTimeout(2500);
    const now = await seqsInView(page);
    expect(now[0]).toBeLessThan(long.lastSeq - UNREAD);
    expect(now).toContain(reading);
  });
});

describe.runIf(chromiumAvailable())('a long conversation, read to the end', () => {
  let long: LongConversation;
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    long = await seedLongConversation(server, MESSAGES);
    await server.store.markRead(long.roomId, long.alice.id, long.lastSeq);
  });

  /** The newest reply in the room, and the seq of the message it answers (thousands back). */
  function newestReply(): { seq: number; original: number } {
    const replies = [...long.bySeq.values()].filter((m) => m.replyTo !== null && !m.deletedAt);
    const reply = replies.at(-1);
    if (!reply?.replyTo) throw new Error('no reply seeded');
    return { seq: reply.seq, original: reply.replyTo.seq };
  }

  it('goes from a reply to its original thousands of messages back, and from there back down to the newest', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await expect.poll(async () => (await seqsInView(page)).includes(long.lastSeq), { timeout: WAIT }).toBe(true);
    const { seq, original } = newestReply();
    expect(long.lastSeq - original).toBeGreaterThan(3000);
    const quote = page.locator(`.message-list [data-seq="${seq}"]`).getByRole('button', { name: /^Show the original message from/ });
    await page.locator('.message-list').hover();
    for (let i = 0; i < 100 && (await quote.count()) === 0; i++) await page.mouse.wheel(0, -300);
    await quote.click();
    await expect.poll(async () => (await seqsInView(page)).includes(original), { timeout: 60_000 }).toBe(true);
    await page.locator(`.jump-highlight[data-seq="${original}"]`).waitFor({ timeout: WAIT });

    // Thousands of messages below: not a scroll away, a button away.
    await page.getByRole('button', { name: /newest/i }).click();
    await expect.poll(async () => (await seqsInView(page)).includes(long.lastSeq), { timeout: WAIT }).toBe(true);
    await page.waitForTimeout(1000);
    expect(await seqsInView(page)).toContain(long.lastSeq);
    expect(await page.getByRole('button', { name: /newest/i }).count()).toBe(0);
  });
});

describe.runIf(chromiumAvailable())('a conversation of photos', () => {
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    const long = await seedLongConversation(server, 300, { photosEvery: 2 });
    await server.store.markRead(long.roomId, long.alice.id, long.lastSeq);
  });

  it('does not move what the reader is reading when the photos around it arrive', async () => {
    const page = app.alice.page;
    // The photos come slowly, as on a phone: held until the reader has scrolled up.
    let release = () => {};
    const arrived = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/attachments/**', async (route) => {
      await arrived;
      await route.continue();
    });
    await openRoom(page, ROOM);
    await page.locator('.message-list [data-seq]').first().waitFor({ timeout: WAIT });
    await page.locator('.message-list').hover();
    for (let i = 0; i < 6; i++) {
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(100);
    }
    await page.waitForTimeout(1000);
    const before = await topRow(page);
    expect(before).not.toBeNull();

    release();
    await expect
      .poll(() => page.locator('.message-list img').evaluateAll((imgs) => imgs.length > 0 && imgs.every((img) => (img as HTMLImageElement).complete)), { timeout: WAIT })
      .toBe(true);
    await page.waitForTimeout(500);
    const after = await page.evaluate((seq) => {
      const list = document.querySelector('.message-list');
      const row = list?.querySelector(`[data-seq="${seq}"]`);
      return list && row ? row.getBoundingClientRect().top - list.getBoundingClientRect().top : null;
    }, before?.seq);
    expect(after).not.toBeNull();
    expect(Math.abs((after ?? 0) - (before?.top ?? 0))).toBeLessThanOrEqual(2);
    await page.unroute('**/api/attachments/**');
  });
});

describe.runIf(chromiumAvailable())('a long conversation, read far up while Bob writes', () => {
  let long: LongConversation;
  let bob: ChatClient;
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    long = await seedLongConversation(server, MESSAGES);
    await server.store.markRead(long.roomId, long.alice.id, long.lastSeq);
    const { token } = await server.login('cleaner1');
    bob = new ChatClient({ url: server.url, userId: long.bob.id, WebSocket: nodeWebSocket(token) });
    const ready = new Promise<void>((resolve) => bob.on('ready', () => resolve()));
    bob.connect();
    await ready;
  });
  afterAll(() => bob.close());

  /** Bob's messages on screen or just around it, below the first row in view (so the reader's anchor is not the one changed). */
  async function bobsAround(page: Page): Promise<number[]> {
    const first = (await seqsInView(page))[0] ?? 0;
    const rendered = await page.locator('.message-list [data-seq]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-seq'))));
    return rendered.filter((seq) => {
      if (seq <= first) return false;
      const m = long.bySeq.get(seq);
      return m?.sender?.id === long.bob.id && !m.deletedAt && m.type === 'text';
    });
  }

  it('leaves the reader where they are when messages arrive, are edited and deleted, and says what is new', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await expect.poll(async () => (await seqsInView(page)).includes(long.lastSeq), { timeout: WAIT }).toBe(true);
    await page.locator('.message-list').hover();
    for (let i = 0; i < 60; i++) {
      await page.mouse.wheel(0, -600);
      await page.waitForTimeout(40);
    }
    await page.waitForTimeout(1000);
    const anchor = (await seqsInView(page))[0] ?? 0;
    const anchorTop = await rowTop(page, anchor);
    expect(long.lastSeq - anchor).toBeGreaterThan(100);

    for (let i = 1; i <= 3; i++) await bob.send({ roomId: long.roomId, content: `While you were reading ${i}` });
    await page.getByRole('button', { name: '3 new messages ↓' }).waitFor({ timeout: WAIT });
    const [edited, deleted] = await bobsAround(page);
    if (edited === undefined || deleted === undefined) throw new Error('Bob has no two messages in view');
    await bob.edit(long.bySeq.get(edited)?.id ?? 0, 'Edited months later');
    await bob.delete(long.bySeq.get(deleted)?.id ?? 0);
    const row = (seq: number) => messageLog(page).locator(`[data-seq="${seq}"]`);
    await expect.poll(() => row(edited).textContent(), { timeout: WAIT }).toContain('Edited months later');
    await expect.poll(() => row(deleted).textContent(), { timeout: WAIT }).toContain('This message was deleted');
    await page.waitForTimeout(500);
    expect(await rowTop(page, anchor)).toBeCloseTo(anchorTop ?? 0, -1);
  });

  it('after a reconnect, shows what changed meanwhile where the reader is, and what arrived below, once', async () => {
    const page = app.alice.page;
    const anchor = (await seqsInView(page))[0] ?? 0;
    const anchorTop = await rowTop(page, anchor);
    const [edited] = await bobsAround(page);
    if (edited === undefined) throw new Error('Bob has no message in view');
    await app.alice.context.setOffline(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /offline|Reconnecting/i }).count(), { timeout: WAIT }).toBeGreaterThan(0);
    for (let i = 1; i <= 2; i++) await bob.send({ roomId: long.roomId, content: `While you were away ${i}` });
    await bob.edit(long.bySeq.get(edited)?.id ?? 0, 'Edited while you were offline');
    await app.alice.context.setOffline(false);
    await page.getByRole('button', { name: '5 new messages ↓' }).waitFor({ timeout: WAIT });
    await expect.poll(() => messageLog(page).locator(`[data-seq="${edited}"]`).textContent(), { timeout: WAIT }).toContain('Edited while you were offline');
    expect(await rowTop(page, anchor)).toBeCloseTo(anchorTop ?? 0, -1);

    await page.getByRole('button', { name: '5 new messages ↓' }).click();
    await expect.poll(async () => (await seqsInView(page)).includes(long.lastSeq + 5), { timeout: WAIT }).toBe(true);
    const texts = await messageLog(page).locator('.message-text').allTextContents();
    for (const text of ['While you were reading 3', 'While you were away 1', 'While you were away 2']) {
      expect(texts.filter((t) => t === text)).toHaveLength(1);
    }
  });
});
