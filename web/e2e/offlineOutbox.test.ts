/**
 * The offline outbox in a real browser against the real server: a message typed offline and
 * discarded never reaches the partner (not after a reload, not after the reconnect), and a
 * deletion confirmed offline survives a reload and deletes the message for the partner once the
 * socket is back; a message typed in a lift (written on a socket that no longer gets through) can be
 * discarded once the drop is seen, and never reaches the partner either. Alice's socket is routed
 * through Playwright so the test can cut it (or swallow what she sends) while HTTP keeps working.
 * A message discarded in a tab is discarded in the tab duplicated from it, which holds a copy, also
 * when that tab was not listening then (still loading) and signs in later.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, backInRoom, chatsButton, messageLog, openRoom, send } from './support/app.ts';

const ROOM = /Deep clean/;

describe.runIf(chromiumAvailable())('the offline outbox', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });
  let down = false;
  /** In a lift: what Alice's open socket sends is lost, the socket still looks open. */
  let lift = false;
  let current: WebSocketRoute | null = null;
  /** Every socket of Alice's tabs routed so far (a duplicated tab has its own). */
  const routed: WebSocketRoute[] = [];

  /** Routes Alice's chat socket (from the next page load on): passed to the server, or never answered while `down`. */
  async function routeAliceSocket(): Promise<void> {
    await app.alice.context.routeWebSocket(/\/ws\/user\//, (ws) => {
      current = ws;
      routed.push(ws);
      if (down) return;
      const server = ws.connectToServer();
      ws.onMessage((frame) => {
        if (!lift) server.send(frame);
      });
    });
    app.alice.page.on('dialog', (dialog) => void dialog.accept());
  }

  /** Ends Alice's current socket; her tab reconnects, to the server or (down) to nothing. */
  async function cutSocket(goDown: boolean): Promise<void> {
    down = goDown;
    await current?.close({ code: 1011, reason: 'test cut' });
  }

  /** Ends the sockets of all Alice's tabs; they reconnect to the server. */
  async function reconnectAll(): Promise<void> {
    down = false;
    for (const ws of routed.splice(0)) await ws.close({ code: 1011, reason: 'test cut' }).catch(() => undefined);
  }

  async function reload(page: Page): Promise<void> {
    await page.reload();
    await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
  }

  beforeAll(async () => {
    await routeAliceSocket();
    await reload(app.alice.page);
    await openRoom(app.bob.page, ROOM);
    await openRoom(app.alice.page, ROOM);
  });

  const mine = (page: Page, text: string) => messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: text });

  it('never sends a message discarded while offline, not after a reload nor the reconnect; the one written after it goes', async () => {
    const { alice, bob } = app;
    await cutSocket(true);
    await send(alice.page, 'The door code is 4512');
    await send(alice.page, 'Wrong chat, sorry: see you at 9');
    const wrong = mine(alice.page, 'The door code is 4512');
    await expect.poll(() => wrong.getByText('Sending…').count(), { timeout: WAIT }).toBe(1);
    await wrong.getByRole('button', { name: 'Discard' }).click();
    // As for Delete: the one that throws away in red, beside a plain Keep.
    const colour = (name: string) => wrong.getByRole('button', { name }).evaluate((el) => getComputedStyle(el).color);
    expect(await colour('Confirm discard')).toBe('rgb(220, 38, 38)');
    expect(await colour('Keep')).not.toBe('rgb(220, 38, 38)');
    await wrong.getByRole('button', { name: 'Confirm discard' }).click();
    await expect.poll(() => wrong.count(), { timeout: WAIT }).toBe(0);

    await reload(alice.page);
    await cutSocket(false);
    await expect.poll(() => messageLog(bob.page).getByText('Wrong chat, sorry: see you at 9').count(), { timeout: 60_000 }).toBe(1);
    // Sent in the order written: had the discarded one gone, Bob would have it before this one.
    expect(await messageLog(bob.page).getByText('The door code is 4512').count()).toBe(0);
    await backInRoom(alice.page, ROOM);
    await expect.poll(() => mine(alice.page, 'Wrong chat, sorry').count(), { timeout: WAIT }).toBe(1);
    expect(await mine(alice.page, 'The door code is 4512').count()).toBe(0);
  });

  it('keeps a deletion confirmed offline over a reload, and deletes the message for the partner once back', async () => {
    const { alice, bob } = app;
    await backInRoom(alice.page, ROOM);
    await send(alice.page, 'Gate code 7788');
    await expect.poll(() => messageLog(bob.page).getByText('Gate code 7788').count(), { timeout: WAIT }).toBe(1);

    await cutSocket(true);
    const message = mine(alice.page, 'Gate code 7788');
    await message.hover({ timeout: WAIT });
    await message.getByRole('button', { name: 'Delete' }).click();
    await message.getByRole('button', { name: 'Confirm delete' }).click();
    await expect.poll(() => message.getByRole('status').textContent(), { timeout: WAIT }).toBe(
      'Not deleted yet: you are offline. It is deleted when the connection is back.',
    );

    await reload(alice.page);
    await cutSocket(false);
    await expect.poll(() => messageLog(bob.page).getByText('Gate code 7788').count(), { timeout: 60_000 }).toBe(0);
    expect(await messageLog(bob.page).getByText('This message was deleted').count()).toBeGreaterThan(0);
    await backInRoom(alice.page, ROOM);
    await expect.poll(() => messageLog(alice.page).getByText('Gate code 7788').count(), { timeout: WAIT }).toBe(0);
  });

  it('lets a message typed in a lift be discarded once the drop is seen, saying it may have been delivered; it never reaches the partner', async () => {
    const { alice, bob } = app;
    await backInRoom(alice.page, ROOM);
    lift = true;
    await send(alice.page, 'Lift code 9931');
    const wrong = mine(alice.page, 'Lift code 9931');
    await expect.poll(() => wrong.getByText('Sending…').count(), { timeout: WAIT }).toBe(1);
    // Written on the socket, which still looks open: it is on its way, nothing to discard.
    expect(await wrong.getByRole('button', { name: 'Discard' }).count()).toBe(0);

    // The drop is seen (the socket closes; the next one gets no answer): it waits for the connection.
    lift = false;
    await cutSocket(true);
    await wrong.getByRole('button', { name: 'Discard' }).click({ timeout: WAIT });
    const confirm = wrong.getByRole('button', { name: 'Confirm discard' });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement), { timeout: WAIT }).toBe(true);
    expect(await wrong.textContent()).toContain('It may already have been delivered');
    await alice.page.keyboard.press('Enter');
    await expect.poll(() => wrong.count(), { timeout: WAIT }).toBe(0);
    // Its buttons gone with it, the focus goes to the message box, as after any Discard.
    await expect.poll(() => alice.page.evaluate(() => document.activeElement?.id.startsWith('composer-')), { timeout: WAIT }).toBe(true);

    await cutSocket(false);
    await send(alice.page, 'Out of the lift now');
    await expect.poll(() => messageLog(bob.page).getByText('Out of the lift now').count(), { timeout: 60_000 }).toBe(1);
    expect(await messageLog(bob.page).getByText('Lift code 9931').count()).toBe(0);
    expect(await mine(alice.page, 'Lift code 9931').count()).toBe(0);
  });

  it('discards a message in the tab duplicated from this one too: the copy does not send it when the connection is back', async () => {
    const { alice, bob } = app;
    await backInRoom(alice.page, ROOM);
    await cutSocket(true);
    await send(alice.page, 'Twin code 5521');
    const wrong = mine(alice.page, 'Twin code 5521');
    await expect.poll(() => wrong.getByText('Sending…').count(), { timeout: WAIT }).toBe(1);

    // "Duplicate tab": a new tab starting with a copy of this one's sessionStorage, offline too.
    const saved = await alice.page.evaluate(() => Object.entries(sessionStorage));
    const twin = await alice.context.newPage();
    await twin.addInitScript((entries) => {
      if (sessionStorage.length === 0) for (const [key, value] of entries) sessionStorage.setItem(key, value);
    }, saved);
    await twin.goto(alice.page.url());
    await chatsButton(twin).waitFor({ timeout: WAIT });
    const twinHolds = () => twin.evaluate(() => Object.values(sessionStorage).some((v) => v.includes('Twin code 5521')));
    await expect.poll(twinHolds, { timeout: WAIT }).toBe(true);

    await wrong.getByRole('button', { name: 'Discard' }).click();
    // Typed offline here, but the twin, open, may have sent its copy: asked as for one that may be stored.
    expect(await wrong.textContent()).toContain('It may already have been delivered');
    await wrong.getByRole('button', { name: 'Confirm discard' }).click();
    await expect.poll(() => wrong.count(), { timeout: WAIT }).toBe(0);
    await expect.poll(twinHolds, { timeout: WAIT }).toBe(false);

    // Both tabs back: what the twin sends afterwards reaches Bob, and the discarded one, which it would have sent first, does not.
    await reconnectAll();
    await openRoom(twin, ROOM);
    await send(twin, 'Sent from the twin tab');
    await expect.poll(() => messageLog(bob.page).getByText('Sent from the twin tab').count(), { timeout: 60_000 }).toBe(1);
    expect(await messageLog(bob.page).getByText('Twin code 5521').count()).toBe(0);
    await twin.close();
  });
  it('discards it in a duplicated tab that was not listening then (still loading, the server out of its reach): it never sends it', async () => {
    const { alice, bob } = app;
    await backInRoom(alice.page, ROOM);
    await cutSocket(true);
    await send(alice.page, 'Late twin 6612');
    const wrong = mine(alice.page, 'Late twin 6612');
    await expect.poll(() => wrong.getByText('Sending…').count(), { timeout: WAIT }).toBe(1);

    // "Duplicate tab" on a poor link: its /api/me does not get through, so it shows "Cannot reach the server", no chat yet.
    const saved = await alice.page.evaluate(() => Object.entries(sessionStorage));
    const twin = await alice.context.newPage();
    let meBlocked = true;
    await twin.route('**/api/me', (route) => (meBlocked ? route.abort() : route.continue()));
    await twin.addInitScript((entries) => {
      if (sessionStorage.length === 0) for (const [key, value] of entries) sessionStorage.setItem(key, value);
    }, saved);
    await twin.goto(alice.page.url());
    await twin.getByText('Cannot reach the server').waitFor({ timeout: WAIT });

    await wrong.getByRole('button', { name: 'Discard' }).click();
    await wrong.getByRole('button', { name: 'Confirm discard' }).click();
    await expect.poll(() => wrong.count(), { timeout: WAIT }).toBe(0);

    // The link is back: the twin signs in from its copy of the sessionStorage, which still holds the message.
    meBlocked = false;
    await reconnectAll();
    await twin.getByRole('button', { name: 'Try now' }).click();
    await chatsButton(twin).waitFor({ timeout: WAIT });
    await openRoom(twin, ROOM);
    await send(twin, 'Sent from the late twin');
    await expect.poll(() => messageLog(bob.page).getByText('Sent from the late twin').count(), { timeout: 60_000 }).toBe(1);
    expect(await messageLog(bob.page).getByText('Late twin 6612').count()).toBe(0);
    expect(await mine(twin, 'Late twin 6612').count()).toBe(0);
    await twin.close();
  });
});
