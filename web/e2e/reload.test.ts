/**
 * Reloading the page must not lose what the user typed: a message still
 * "Sending…" (socket down, or its ack lost) is sent after the reload, exactly
 * once, and a half-typed draft is back in its box. The socket of Alice's tab
 * is routed through Playwright so the test can cut it or drop the server's
 * acks while HTTP keeps working.
 */
import { describe, expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, backInRoom, messageLog, openRoom, send } from './support/app.ts';

const ROOM = /Deep clean/;

type SocketMode = 'pass' | 'down' | 'drop-acks';

describe.runIf(chromiumAvailable())('unsent messages and drafts across a reload', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });
  let mode: SocketMode = 'pass';
  let current: WebSocketRoute | null = null;
  const leaveQuestions: string[] = [];

  /** Routes Alice's chat socket (from the next page load on) through `mode`. */
  async function routeAliceSocket(): Promise<void> {
    await app.alice.context.routeWebSocket(/\/ws\/user\//, (ws) => {
      current = ws;
      if (mode === 'down') return; // opens in the page, never hears from the server
      const server = ws.connectToServer();
      if (mode === 'drop-acks') {
        server.onMessage((frame) => {
          if (!String(frame).startsWith('{"type":"ack"')) ws.send(frame);
        });
      }
    });
    app.alice.page.on('dialog', (dialog) => {
      leaveQuestions.push(dialog.type());
      void dialog.accept();
    });
  }

  /** Ends Alice's current socket; her tab reconnects through the route's current mode. */
  async function cutSocket(next: SocketMode): Promise<void> {
    mode = next;
    await current?.close({ code: 1011, reason: 'test cut' });
  }

  async function reload(page: Page): Promise<void> {
    await page.reload();
    await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
  }

  it('sends a message typed while offline after the page is reloaded, and keeps the draft', async () => {
    const { alice, bob } = app;
    await routeAliceSocket();
    await reload(alice.page);
    await openRoom(bob.page, ROOM);
    await openRoom(alice.page, ROOM);

    await cutSocket('down');
    await send(alice.page, 'Keys are with the concierge');
    await expect.poll(() => messageLog(alice.page).getByText('Sending…').count(), { timeout: WAIT }).toBe(1);
    await alice.page.getByLabel('Message', { exact: true }).fill('And the alarm code is');

    await alice.page.reload();
    // Leaving with a message on its way asked first.
    expect(leaveQuestions).toEqual(['beforeunload']);
    await alice.page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });

    await cutSocket('pass');
    await expect.poll(() => messageLog(bob.page).getByText('Keys are with the concierge').count(), { timeout: 60_000 }).toBe(1);
    // Reloaded inside the room, the tab is back in it once connected.
    await backInRoom(alice.page, ROOM);
    await expect.poll(() => messageLog(alice.page).getByText('Keys are with the concierge').count(), { timeout: WAIT }).toBe(1);
    await expect.poll(() => messageLog(alice.page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
    expect(await alice.page.getByLabel('Message', { exact: true }).inputValue()).toBe('And the alarm code is');
  });

  it('does not store a message twice when its ack was lost before the reload', async () => {
    const { alice, bob } = app;
    await cutSocket('drop-acks');
    // Back on a socket (the banner is outside the open panel's dialog, so found by its class).
    await expect.poll(() => alice.page.locator('.connection-banner').textContent(), { timeout: WAIT }).toBe('');
    await alice.page.getByLabel('Message', { exact: true }).fill('');
    await send(alice.page, 'Leaving the spare key in the letterbox');
    // Stored and delivered, but Alice never heard back.
    await expect.poll(() => messageLog(bob.page).getByText('Leaving the spare key in the letterbox').count(), { timeout: WAIT }).toBe(1);
    expect(await messageLog(alice.page).getByText('Sending…').count()).toBe(1);

    mode = 'pass';
    await reload(alice.page);
    await backInRoom(alice.page, ROOM);
    await expect.poll(() => messageLog(alice.page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
    await expect.poll(() => messageLog(alice.page).getByText('Leaving the spare key in the letterbox').count(), { timeout: WAIT }).toBe(1);
    // Bob's history, read afresh, holds it once: the re-send was acknowledged, not stored again.
    await reload(bob.page);
    await backInRoom(bob.page, ROOM);
    await expect.poll(() => messageLog(bob.page).getByText('Leaving the spare key in the letterbox').count(), { timeout: WAIT }).toBe(1);
    expect(await messageLog(bob.page).getByText('Keys are with the concierge').count()).toBe(1);
  });
});
