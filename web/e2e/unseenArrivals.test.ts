/**
 * Messages that come into the open room while its reader does not see them: with the tab hidden
 * (another tab in front) or scrolled up to older ones. Back with them, a "New messages" line says
 * where they began, as when a room is opened with unread messages.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, chatsButton, messageLog, openRoom, send, wheelTo } from './support/app.ts';
import { messageInView, unreadLinePlace } from './support/scrollView.ts';

const ROOM = /Deep clean/;

/**
 * The tab as the Page Visibility API tells it. Headless Chromium keeps every page in front, so
 * the app's view of it is set (it reads only these two and the event); the page still draws.
 */
async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    if (hide) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    } else {
      // The document's own getters (on Document.prototype) again.
      Reflect.deleteProperty(document, 'visibilityState');
      Reflect.deleteProperty(document, 'hidden');
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/**
 * The window as `document.hasFocus()` tells it: visible, but another app in use. Headless Chromium
 * keeps every page focused, so the app's view of it is set (the method and the window's events).
 */
async function setWindowInUse(page: Page, inUse: boolean): Promise<void> {
  await page.evaluate((use) => {
    if (use) Reflect.deleteProperty(document, 'hasFocus');
    else Object.defineProperty(document, 'hasFocus', { configurable: true, value: () => false });
    window.dispatchEvent(new Event(use ? 'focus' : 'blur'));
  }, inUse);
}

/** The row that has the "New messages" line: its text, and how many rows have one. */
function rowsWithLine(page: Page) {
  return messageLog(page).locator('.message-row').filter({ has: page.getByRole('separator', { name: 'New messages' }) });
}

function atEnd(page: Page): Promise<boolean> {
  return page.locator('.message-list').evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 40);
}

describe.runIf(chromiumAvailable())('messages that came into the open room unseen', () => {
  // Enough read history for the room to scroll.
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, async (server) => {
    await seedBobLines(server, 40, 'Earlier line');
    await markDemoRoomRead(server, 'client1');
  });

  it('back in a tab that was hidden: the line is above the first of them, they are read, and a screen reader hears how many came', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    expect(await rowsWithLine(alice.page).count()).toBe(0);

    await setTabHidden(alice.page, true);
    for (const text of ['Running late', 'Stuck in traffic', 'There in ten']) await send(bob.page, text);
    // Not read while hidden: the badge counts them.
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 3 unread');

    await setTabHidden(alice.page, false);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await expect.poll(() => rowsWithLine(alice.page).textContent(), { timeout: WAIT }).toContain('Running late');
    expect(await rowsWithLine(alice.page).count()).toBe(1);
    await expect.poll(() => alice.page.locator('.arrival-status').textContent(), { timeout: WAIT }).toBe('3 new messages from Bob Cleaner');

    // Read, and looked at: the line stays while the room is open.
    await send(bob.page, 'Parking now');
    await expect.poll(() => messageLog(alice.page).getByText('Parking now').count(), { timeout: WAIT }).toBe(1);
    expect(await rowsWithLine(alice.page).textContent()).toContain('Running late');
  });

  it('in a window left in view while another app is in use: not read (Bob is not told "Seen") until the window is used again', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');

    // The focus gone to another app (the clicks that opened the room, before it, do not count as use), and a
    // pointer merely passing over the window on its way elsewhere.
    await setWindowInUse(alice.page, false);
    const list = await alice.page.locator('.message-list').boundingBox();
    if (!list) throw new Error('no message list');
    await alice.page.mouse.move(list.x + 5, list.y + 5);
    await alice.page.mouse.move(list.x + list.width - 5, list.y + list.height - 5, { steps: 5 });
    await send(bob.page, 'Key is with the porter');
    const bobsMessage = messageLog(bob.page).getByRole('article').filter({ hasText: 'Key is with the porter' });
    await expect.poll(() => bobsMessage.locator('.delivery').textContent(), { timeout: WAIT }).toBe('Sent');
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
    // Still on Alice's screen, and still not read a second later.
    await expect.poll(() => messageLog(alice.page).getByText('Key is with the porter').count(), { timeout: WAIT }).toBe(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await bobsMessage.locator('.delivery').textContent()).toBe('Sent');

    // Back: the wheel turned over the window (no click: the focus still elsewhere) is someone reading.
    await alice.page.mouse.move(list.x + list.width / 2, list.y + list.height / 2);
    await alice.page.mouse.wheel(0, 200);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await expect.poll(() => bobsMessage.locator('.delivery').textContent(), { timeout: WAIT }).toBe('Seen');
    await expect.poll(() => rowsWithLine(alice.page).textContent(), { timeout: WAIT }).toContain('Key is with the porter');
    await setWindowInUse(alice.page, true);
  });

  it('scrolled up to older ones: down there, the line is above the first of them', async () => {
    const { alice, bob } = app;
    // Opened again, read and at its newest: no line.
    await openRoom(alice.page, ROOM);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await expect.poll(() => atEnd(alice.page), { timeout: WAIT }).toBe(true);
    expect(await rowsWithLine(alice.page).count()).toBe(0);
    await wheelTo(alice.page, 'start');

    await send(bob.page, 'The door code is 4711');
    await send(bob.page, 'Second floor');
    const jump = alice.page.getByRole('button', { name: '2 new messages ↓' });
    await jump.waitFor({ timeout: WAIT });
    await jump.click();
    await expect.poll(() => messageLog(alice.page).getByText('Second floor').isVisible(), { timeout: WAIT }).toBe(true);
    await expect.poll(() => rowsWithLine(alice.page).textContent(), { timeout: WAIT }).toContain('The door code is 4711');
    expect(await rowsWithLine(alice.page).count()).toBe(1);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
  });
});

describe.runIf(chromiumAvailable())('many messages that came into the open room while the tab was hidden', () => {
  /** More than a screenful (and than the first page): the list stays at the newest, the line far above. */
  const MISSED = 85;
  const app = signedInApp(
    { alice: 'client1', bob: 'cleaner1' },
    async (server) => {
      await seedBobLines(server, 40, 'Earlier line');
      await markDemoRoomRead(server, 'client1');
    },
    // Bob writes them in one go.
    { config: { limits: { sendRateLimit: 1000 } } },
  );

  it('back in the tab at the newest: a button says how many there are above and goes up to the "New messages" line', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    await setTabHidden(alice.page, true);
    for (let i = 1; i <= MISSED; i += 1) await send(bob.page, `Missed line ${i}`);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe(`Chats, ${MISSED} unread`);

    await setTabHidden(alice.page, false);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    // The last screenful, and nothing in it says that many more came above.
    await expect.poll(() => messageInView(alice.page, `Missed line ${MISSED}`), { timeout: WAIT }).toBe(true);
    expect(await messageInView(alice.page, 'Missed line 1')).toBe(false);
    const up = alice.page.getByRole('button', { name: `↑ ${MISSED} unread messages` });
    await up.waitFor({ timeout: WAIT });
    // Said as it appears, as the button up to a line too far back to load is.
    expect(await up.evaluate((el) => el.closest('[role="status"]') !== null)).toBe(true);

    // More come while she is at the newest in front, read as they come: the arrival line says them,
    // and the button still says the ones above (not a new number, said again, with each).
    for (const text of ['Live line 1', 'Live line 2']) {
      await send(bob.page, text);
      await expect.poll(() => messageInView(alice.page, text), { timeout: WAIT }).toBe(true);
      await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
      expect(await alice.page.locator('.first-new-jump').textContent({ timeout: WAIT })).toBe(`↑ ${MISSED} unread messages`);
    }

    // From the keyboard as well as the mouse: a button, focused and pressed.
    await up.focus();
    await alice.page.keyboard.press('Enter');
    // The line at the top of the view, the first of them right under it, the keyboard going on from there.
    await expect
      .poll(async () => {
        const line = await unreadLinePlace(alice.page);
        return line !== null && line.top >= 0 && line.top < 60;
      }, { timeout: WAIT })
      .toBe(true);
    await expect.poll(() => messageInView(alice.page, 'Missed line 1'), { timeout: WAIT }).toBe(true);
    await expect.poll(() => alice.page.evaluate(() => document.activeElement?.querySelector('.message-text')?.textContent ?? null), { timeout: WAIT }).toBe('Missed line 1');
    // Seen now: not offered again.
    await expect.poll(() => up.count(), { timeout: WAIT }).toBe(0);
  });
});
