/**
 * What a tab keeps for a reload (savedChat.ts) must not outlive the session:
 * signed out from another tab while this one was offline, the next load of
 * this tab shows the sign-in page and must not keep the user's unsent
 * messages and drafts for whoever signs in next.
 * And signing out must really end the session, or say that it could not.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, openRoom, send } from './support/app.ts';

describe.runIf(chromiumAvailable())('saved chat after the session ended elsewhere', () => {
  const app = signedInApp({ alice: 'client1' });

  it('forgets the unsent message and draft of a tab that was offline when its user signed out elsewhere', async () => {
    const { alice, server } = app;
    let online = true;
    await alice.context.routeWebSocket(/\/ws\/user\//, (ws) => {
      if (online) ws.connectToServer();
    });
    alice.page.on('dialog', (dialog) => void dialog.accept());
    await alice.page.reload();
    await openRoom(alice.page, /Deep clean/);

    online = false;
    await alice.context.setOffline(true);
    await send(alice.page, 'The alarm code is 4711');
    await alice.page.getByLabel('Message', { exact: true }).fill('and the safe is');
    const saved = () => alice.page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('ecc.chat.')));
    await expect.poll(saved, { timeout: WAIT }).toHaveLength(1);

    // Signed out in another tab (same cookie) while this one is offline.
    await alice.context.setOffline(false);
    const res = await alice.context.request.post(`${server.url}/api/auth/logout`, { headers: { Origin: server.url } });
    expect(res.status()).toBeLessThan(300);

    await alice.page.reload();
    await alice.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
    expect(await saved()).toEqual([]);
  });
});

describe.runIf(chromiumAvailable())('signing out without a connection', () => {
  const app = signedInApp({ alice: 'client1' });

  it('signing out without a connection says so and keeps the user signed in, and works once back online', async () => {
    const { alice, server } = app;
    await openRoom(alice.page, /Deep clean/);
    await alice.context.setOffline(true);
    let asked = '';
    alice.page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await send(alice.page, 'Back at 5');
    // A message still on its way: signing out asks first; saying no keeps everything.
    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => asked, { timeout: WAIT }).toMatch(/still being sent/);
    expect(await alice.page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);

    alice.page.once('dialog', (dialog) => void dialog.accept());
    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    const alert = alice.page.getByRole('alert').filter({ hasText: 'Could not sign out' });
    await alert.waitFor({ timeout: WAIT });
    expect(await alice.page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);

    // Back online: the session really ends; a reload does not sign her back in.
    await alice.context.setOffline(false);
    alice.page.once('dialog', (dialog) => void dialog.accept());
    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    await alice.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
    await alice.page.reload();
    await alice.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
    const me = await alice.context.request.get(`${server.url}/api/me`);
    expect(me.status()).toBe(401);
  });
});

describe.runIf(chromiumAvailable())('the session ending while the chat is open', () => {
  const app = signedInApp({ alice: 'client1' });

  it('says on the sign-in page why the user is there, instead of silently dropping what they were typing', async () => {
    const { alice, server } = app;
    await openRoom(alice.page, /Deep clean/);
    await alice.page.getByLabel('Message', { exact: true }).fill('The key is under the mat and');
    // Signed out in another tab (same cookie), or the session expired: the server closes the socket with 4401.
    const res = await alice.context.request.post(`${server.url}/api/auth/logout`, { headers: { Origin: server.url } });
    expect(res.status()).toBeLessThan(300);
    await alice.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
    const alert = alice.page.getByRole('alert');
    await alert.waitFor({ timeout: WAIT });
    expect(await alert.textContent()).toBe('You were signed out: your session ended. Please sign in again. What you had not sent yet (messages, drafts, edits, deletions) comes back when you sign in again here.');

    // Signing in again puts the notice away.
    await alice.page.getByLabel('Username').fill('client1');
    await alice.page.getByLabel('Password').fill('demo');
    await alice.page.getByRole('button', { name: 'Sign in' }).click();
    await alice.page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
    expect(await alice.page.getByRole('alert').count()).toBe(0);

    // Signing out here ends the socket the same way, but needs no explaining.
    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    await alice.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
    await alice.page.waitForTimeout(1000);
    expect(await alice.page.getByRole('alert').count()).toBe(0);
  });
});

describe.runIf(chromiumAvailable())('the session ending while the tab is offline', () => {
  const app = signedInApp({ alice: 'client1' });

  it('tells the user on reconnect that the session ended, instead of reconnecting for ever with the message shown as sending', async () => {
    const { alice, server } = app;
    await openRoom(alice.page, /Deep clean/);
    await alice.context.setOffline(true);
    await send(alice.page, 'Gate code 2580');
    // Signed out in another tab (same cookie), or the session expired, while this one is offline:
    // no socket of this tab hears it. Back online, the browser is refused at the upgrade (401) without
    // being told why.
    const res = await alice.context.request.post(`${server.url}/api/auth/logout`, { headers: { Origin: server.url } });
    expect(res.status()).toBeLessThan(300);
    await alice.context.setOffline(false);

    await alice.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
    const alert = alice.page.getByRole('alert');
    await alert.waitFor({ timeout: WAIT });
    expect(await alert.textContent()).toMatch(/^You were signed out: your session ended\. Please sign in again\./);
  });
});
