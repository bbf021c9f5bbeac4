/**
 * Moving through a conversation from the keyboard, as in a feed: the arrow keys (and Page Up/Down)
 * go from message to message, older history loading on the way up, Home and End to the ends; the
 * conversation is one Tab stop, its messages' buttons reached with Enter; keys typed in a message's
 * edit box are the box's. In a real browser: the list is virtualised, and its rows come and go.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { seedLongConversation, type LongConversation } from './support/longConversation.ts';
import { WAIT, messageLog, openRoom, send } from './support/app.ts';
import { LONG_LINES } from './support/textShown.ts';

const ROOM = /Deep clean/;
/** Six pages of history: the room opens with the newest page loaded, the rest older. */
const MESSAGES = 300;

/** The seq of the message that has keyboard focus (the message itself, not a button in it), else null. */
function focusedSeq(page: Page): Promise<number | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (el?.getAttribute('role') !== 'article') return null;
    const seq = el.closest<HTMLElement>('[data-seq]')?.dataset.seq;
    return seq === undefined ? null : Number(seq);
  });
}

/** Whether the focused element is all inside the conversation's scrolled view (or fills it, when taller). */
function focusedInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    const list = document.querySelector('.message-list');
    if (!el || !list || !list.contains(el)) return false;
    const view = list.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return box.height > 0 && ((box.top >= view.top - 1 && box.bottom <= view.bottom + 1) || (box.top <= view.top && box.bottom >= view.bottom));
  });
}

/** What has focus: the aria-label or text of the element, and whether it is inside the conversation. */
function focusedControl(page: Page): Promise<{ label: string; inList: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    const label = el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
    return { label, inList: !!el && !!document.querySelector('.message-list')?.contains(el) };
  });
}

describe.runIf(chromiumAvailable())('moving through a conversation with the keyboard', () => {
  let long: LongConversation;
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    long = await seedLongConversation(server, MESSAGES);
    await server.store.markRead(long.roomId, long.alice.id, long.lastSeq);
  });

  async function focusNewest(page: Page): Promise<void> {
    await openRoom(page, ROOM);
    const newest = messageLog(page).locator(`[data-seq="${long.lastSeq}"] [role="article"]`);
    await newest.waitFor({ state: 'visible', timeout: WAIT });
    await newest.focus();
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(long.lastSeq);
  }

  it('ArrowUp moves focus to the previous message, in view, and ArrowDown back; End to the newest', async () => {
    const page = app.alice.page;
    await focusNewest(page);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(long.seqOf(MESSAGES - 1));
    for (let k = 2; k <= 8; k++) {
      await page.keyboard.press(k % 2 === 0 ? 'ArrowUp' : 'PageUp');
      await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(long.seqOf(MESSAGES - k));
    }
    expect(await focusedInView(page)).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(long.seqOf(MESSAGES - 7));
    await page.keyboard.press('PageDown');
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(long.seqOf(MESSAGES - 6));
    await page.keyboard.press('End');
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(long.lastSeq);
    expect(await focusedInView(page)).toBe(true);
  });

  it('going up past the oldest loaded message loads older ones and goes on to them, one message a key', async () => {
    const page = app.alice.page;
    await focusNewest(page);
    // The newest page holds 50: 80 up is well into the pages loaded on the way.
    for (let k = 1; k <= 80; k++) {
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(long.seqOf(MESSAGES - k));
    }
    expect(await focusedInView(page)).toBe(true);
  });

  it('Home goes to the first loaded message, older than the newest page', async () => {
    const page = app.alice.page;
    await focusNewest(page);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await focusedSeq(page)) ?? Infinity, { timeout: WAIT }).toBeLessThanOrEqual(long.seqOf(MESSAGES - 49));
    expect(await focusedInView(page)).toBe(true);
  });

  it('is one Tab stop: Tab from a message goes on to the message box\'s row, Shift+Tab comes back to that message', async () => {
    const page = app.alice.page;
    await focusNewest(page);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const reading = long.seqOf(MESSAGES - 2);
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(reading);
    await page.keyboard.press('Tab');
    expect(await focusedControl(page)).toEqual({ label: 'Attach a photo or PDF', inList: false });
    await page.keyboard.press('Shift+Tab');
    expect(await focusedSeq(page)).toBe(reading);
  });

  it('back in by Shift+Tab after the message left was scrolled far off, focus is on a message in view', async () => {
    const page = app.alice.page;
    await focusNewest(page);
    await page.keyboard.press('Tab');
    expect(await focusedControl(page)).toEqual({ label: 'Attach a photo or PDF', inList: false });
    await messageLog(page).hover();
    for (let i = 0; i < 8; i++) {
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(40);
    }
    await expect.poll(() => messageLog(page).locator(`[data-seq="${long.lastSeq}"]`).count(), { timeout: WAIT }).toBe(0);
    // Over the list's foot, the way back down comes first (once shown: the rows scrolled past are counted as they go).
    await page.getByRole('button', { name: 'Newest messages ↓' }).waitFor({ timeout: WAIT });
    await page.keyboard.press('Shift+Tab');
    expect(await focusedControl(page)).toEqual({ label: 'Newest messages ↓', inList: false });
    await page.keyboard.press('Shift+Tab');
    await expect.poll(async () => (await focusedSeq(page)) ?? Infinity, { timeout: WAIT }).toBeLessThan(long.lastSeq);
    expect(await focusedInView(page)).toBe(true);
  });

  it('a focused message scrolled out of the list by the wheel does not pull the focus back when it comes into view again', async () => {
    const page = app.alice.page;
    await focusNewest(page);
    await messageLog(page).hover();
    for (let i = 0; i < 8; i++) {
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(40);
    }
    // Its row taken out of the list: the focus fell to the page (no blur is said for that).
    await expect.poll(() => messageLog(page).locator(`[data-seq="${long.lastSeq}"]`).count(), { timeout: WAIT }).toBe(0);
    for (let i = 0; i < 12; i++) {
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(40);
    }
    await messageLog(page).locator(`[data-seq="${long.lastSeq}"]`).waitFor({ state: 'visible', timeout: WAIT });
    // A few frames for anything that would take the focus back.
    await page.waitForTimeout(300);
    expect(await focusedSeq(page)).toBeNull();
  });

  it('Enter goes into a message\'s buttons (Reply, Edit, Delete), Escape back to the message', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await send(page, 'Reached from the keyboard');
    const mine = messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: 'Reached from the keyboard' });
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
    await mine.focus();
    await page.keyboard.press('Enter');
    const labels = [await focusedControl(page)];
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('Tab');
      labels.push(await focusedControl(page));
    }
    expect(labels).toEqual([
      { label: 'Reply to You', inList: true },
      { label: 'Edit', inList: true },
      { label: 'Delete', inList: true },
    ]);
    const onMine = () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'article' && !!document.activeElement.textContent?.includes('Reached from the keyboard'));
    await page.keyboard.press('Escape');
    expect(await onMine()).toBe(true);
    // From its last button, on to the message box's row; back, the conversation is one stop again: the message.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedControl(page)).toEqual({ label: 'Attach a photo or PDF', inList: false });
    await page.keyboard.press('Shift+Tab');
    expect(await onMine()).toBe(true);
  });

  it('leaves the arrow keys to the edit box; a delete question left open by Tab is reached again, the arrow keys still move', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await send(page, 'First line of a note');
    const mine = messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: 'First line of a note' });
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
    await mine.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Edit
    const box = messageLog(page).getByLabel('Edit text');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')), { timeout: WAIT }).toBe('Edit text');
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second');
    const caret = () => box.evaluate((el) => (el as HTMLTextAreaElement).selectionStart);
    const end = await caret();
    await page.keyboard.press('ArrowUp');
    expect(await caret()).toBeLessThan(end);
    await page.keyboard.press('Home');
    expect(await caret()).toBe(0);
    await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowLeft');
    expect(await focusedControl(page)).toEqual({ label: 'Edit text', inList: true });
    await page.keyboard.press('Escape');

    // The delete question left open: Tab on out of it, and Shift+Tab back to the message.
    await expect.poll(() => focusedControl(page), { timeout: WAIT }).toEqual({ label: 'Edit', inList: true });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Delete
    await expect.poll(() => focusedControl(page), { timeout: WAIT }).toEqual({ label: 'Confirm delete', inList: true });
    await page.keyboard.press('Tab');
    expect(await focusedControl(page)).toEqual({ label: 'Keep', inList: true });
    await page.keyboard.press('Tab');
    expect(await focusedControl(page)).toEqual({ label: 'Attach a photo or PDF', inList: false });
    await page.keyboard.press('Shift+Tab');
    const onMine = () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'article' && !!document.activeElement.textContent?.includes('First line of a note'));
    expect(await onMine()).toBe(true);
    const mineSeq = await mine.evaluate((el) => Number(el.closest<HTMLElement>('[data-seq]')?.dataset.seq));
    // The arrow keys still go between messages from it, and Enter back to its question.
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(mineSeq - 1);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(mineSeq);
    await page.keyboard.press('Enter');
    expect(await focusedControl(page)).toEqual({ label: 'Confirm delete', inList: true });
    await page.keyboard.press('Tab');
    expect(await focusedControl(page)).toEqual({ label: 'Keep', inList: true });
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedControl(page), { timeout: WAIT }).toEqual({ label: 'Delete', inList: true });
  });

  it('on a small screen, the arrow keys and Page keys scroll through a message taller than the view before going on', async () => {
    const page = app.alice.page;
    await page.setViewportSize({ width: 320, height: 480 });
    try {
      await openRoom(page, ROOM);
      const text = Array.from({ length: 4 }, () => LONG_LINES.join('\n')).join('\n');
      await send(page, text);
      await send(page, 'After the long one');
      await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
      const line = LONG_LINES.at(-1) ?? '';
      const long = messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: line });
      /** Where the long message stands in the list's view: whether its top and its end are shown, whether it has the focus. */
      const shown = () =>
        page.evaluate((line) => {
          const el = [...document.querySelectorAll('.message-list [role="article"]')].find((a) => a.textContent?.includes(line));
          const view = document.querySelector('.message-list')!.getBoundingClientRect();
          const box = el?.getBoundingClientRect();
          if (!el || !box) return { top: false, end: false, focused: false, tall: false };
          return { top: box.top >= view.top - 1, end: box.bottom <= view.bottom + 1, focused: document.activeElement === el, tall: box.height > view.height };
        }, line);
      const onAfter = () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'article' && !!document.activeElement.textContent?.includes('After the long one'));
      await long.focus();
      // Its top brought into view, again until it stays there: the list may still be gliding down to the
      // message just sent (react-virtuoso follows it smoothly), which would take a single scroll back.
      await expect
        .poll(async () => {
          await long.evaluate((el) => el.scrollIntoView({ block: 'start' }));
          await page.waitForTimeout(100);
          return shown();
        }, { timeout: WAIT })
        .toMatchObject({ top: true, end: false, focused: true, tall: true });
      // Down: its end comes into view while it keeps the focus, then on to the next message.
      let endSeen = false;
      for (let i = 0; i < 60 && !(await onAfter()); i++) {
        const now = await shown();
        if (now.focused && now.end) endSeen = true;
        await page.keyboard.press(i % 2 === 0 ? 'ArrowDown' : 'PageDown');
      }
      expect(endSeen).toBe(true);
      await expect.poll(onAfter, { timeout: WAIT }).toBe(true);
      // Back up: onto its end, then up through it to its top before going on.
      await page.keyboard.press('ArrowUp');
      await expect.poll(async () => (await shown()).focused, { timeout: WAIT }).toBe(true);
      let topSeen = false;
      for (let i = 0; i < 60 && (await shown()).focused; i++) {
        if ((await shown()).top) topSeen = true;
        await page.keyboard.press(i % 2 === 0 ? 'ArrowUp' : 'PageUp');
      }
      expect(topSeen).toBe(true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });
});

describe.runIf(chromiumAvailable())('a message of mine focused while it waits to be sent', () => {
  let long: LongConversation;
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    long = await seedLongConversation(server, 20);
    await server.store.markRead(long.roomId, long.alice.id, long.lastSeq);
  });
  // Alice's chat socket, routed through Playwright to cut it (as offlineOutbox.test.ts does).
  let down = false;
  let current: WebSocketRoute | null = null;
  beforeAll(async () => {
    await app.alice.context.routeWebSocket(/\/ws\/user\//, (ws) => {
      current = ws;
      if (!down) ws.connectToServer();
    });
    await app.alice.page.reload();
    await app.alice.page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
  });

  it('keeps the focus on it once it is stored, not lost to the page', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    const newest = messageLog(page).locator(`[data-seq="${long.lastSeq}"] [role="article"]`);
    await newest.waitFor({ state: 'visible', timeout: WAIT });
    down = true;
    await current?.close({ code: 1011, reason: 'test cut' });
    await send(page, 'Written on the train');
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(1);
    await newest.focus();
    await page.keyboard.press('End');
    const onMine = () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'article' && !!document.activeElement.textContent?.includes('Written on the train'));
    await expect.poll(onMine, { timeout: WAIT }).toBe(true);
    expect(await focusedSeq(page)).toBeNull(); // the Sending… bubble, no seq yet

    down = false;
    await current?.close({ code: 1011, reason: 'test cut' });
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(() => focusedSeq(page), { timeout: WAIT }).toBe(long.lastSeq + 1);
    expect(await onMine()).toBe(true);
  });
});
