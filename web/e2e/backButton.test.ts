/**
 * The browser's Back button in the chat panel: from a room it goes to the
 * chat list, from the list it closes the panel, and only then leaves the
 * page. Switching rooms and the panel's own ← and × buttons leave no entries
 * behind, so Back never does nothing. A reload shows the room or the list
 * it was on, and Back goes on from there; never another user's.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, chatsButton, panel, signIn } from './support/app.ts';

const ROOM = /Deep clean/;

describe.runIf(chromiumAvailable())("the browser's Back button in the chat panel", () => {
  const app = signedInApp({ alice: 'client1' });

  /** The app loaded fresh after a blank page: a Back that leaves the app lands on about:blank. */
  async function freshApp(page: Page): Promise<string> {
    await page.goto('about:blank');
    await page.goto('/');
    await chatsButton(page).waitFor({ timeout: WAIT });
    return page.url();
  }

  /** A fresh load of the app with the demo room open from the chat list; the page's URL. */
  async function inDemoRoom(page: Page): Promise<string> {
    const url = await freshApp(page);
    await chatsButton(page).click();
    await openFromList(page, ROOM);
    return url;
  }

  async function back(page: Page): Promise<void> {
    await page.goBack({ waitUntil: 'commit' });
  }

  /** Presses Back and waits until the panel shows `view`, or the page is left ('left'). */
  async function backTo(page: Page, view: 'room' | 'list' | 'closed' | 'left'): Promise<void> {
    await back(page);
    if (view === 'left') await expect.poll(() => page.url(), { timeout: WAIT }).toBe('about:blank');
    else await expect.poll(() => shown(page), { timeout: WAIT }).toBe(view);
  }

  /** What the user sees: 'room' (the message box), 'list' (the conversations), or 'closed'. */
  async function shown(page: Page): Promise<'room' | 'list' | 'closed'> {
    if (!(await panel(page).isVisible())) return 'closed';
    if (await page.getByLabel('Message', { exact: true }).isVisible()) return 'room';
    return (await panel(page).getByRole('list', { name: 'Conversations' }).isVisible()) ? 'list' : 'closed';
  }

  async function openFromList(page: Page, name: RegExp): Promise<void> {
    await chatListItem(page, name).getByRole('button').click();
    await page.getByLabel('Message', { exact: true }).waitFor({ timeout: WAIT });
  }

  it('steps back from a room to the list, then closes the panel, then leaves the page', async () => {
    const page = app.alice.page;
    const url = await inDemoRoom(page);

    await backTo(page, 'list');
    expect(page.url()).toBe(url);
    // Forward goes into the room again.
    await page.goForward({ waitUntil: 'commit' });
    await expect.poll(() => shown(page), { timeout: WAIT }).toBe('room');
    expect(await panel(page).getByRole('heading', { level: 2 }).textContent()).toMatch(ROOM);

    await backTo(page, 'list');
    await backTo(page, 'closed');
    // Still on the page, signed in; focus back on the Chats button.
    expect(page.url()).toBe(url);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')).toMatch(/^Chats/);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);

    await backTo(page, 'left');
  });

  it("adds no entry for a room opened in place of another, and leaves none behind after the panel's own ← and ×", async () => {
    const page = app.alice.page;
    await inDemoRoom(page);
    // Another room straight from the page behind the panel.
    await page.getByRole('button', { name: 'Contact support' }).click();
    await expect.poll(() => panel(page).getByRole('heading', { level: 2 }).textContent(), { timeout: WAIT }).toBe('Support');
    await back(page);
    // To the list, not to the room before.
    await expect.poll(() => shown(page), { timeout: WAIT }).toBe('list');

    await openFromList(page, ROOM);
    await panel(page).getByRole('button', { name: 'Back to conversations' }).click();
    await expect.poll(() => shown(page), { timeout: WAIT }).toBe('list');
    await panel(page).getByRole('button', { name: 'Close chat panel' }).click();
    await expect.poll(() => shown(page), { timeout: WAIT }).toBe('closed');
    // Nothing left for Back to step through: the first Back leaves the page.
    await backTo(page, 'left');
  });

  it('brings a reload inside a room back to that room, with Back still stepping to the list, closing, then leaving', async () => {
    const page = app.alice.page;
    await inDemoRoom(page);
    await page.reload();
    await expect.poll(() => shown(page), { timeout: WAIT }).toBe('room');
    expect(await panel(page).getByRole('heading', { level: 2 }).textContent()).toMatch(ROOM);
    // Where opening the room puts the keyboard: in its message box.
    const box = page.getByLabel('Message', { exact: true });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement), { timeout: WAIT }).toBe(true);

    // The entries the last load pushed are the ones stepped through: none doubled, none left doing nothing.
    await backTo(page, 'list');
    await backTo(page, 'closed');
    await backTo(page, 'left');
  });

  it('brings a reload on the chat list back to the list', async () => {
    const page = app.alice.page;
    await inDemoRoom(page);
    await backTo(page, 'list');
    await page.reload();
    await expect.poll(() => shown(page), { timeout: WAIT }).toBe('list');
    await openFromList(page, ROOM);
    await backTo(page, 'list');
    await backTo(page, 'closed');
    await backTo(page, 'left');
  });

  it("does not give another user signing in on the same tab the previous user's room", async () => {
    // Bob (cleaner1) is in the demo room too: shown Alice's entry, he would be put in it.
    const alice = await signIn(app.browser, app.server.url, 'client1');
    const page = alice.page;
    await inDemoRoom(page);
    // Alice's session ends where this tab does not see it (its cookie gone), and the tab is reloaded.
    await alice.context.clearCookies();
    await page.reload();
    await page.getByLabel('Username').fill('cleaner1');
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // His unread count shows once the socket's `ready` (with his rooms) has come.
    await page.getByRole('button', { name: /^Chats, \d+ unread$/ }).waitFor({ timeout: WAIT });
    expect(await shown(page)).toBe('closed');
    // Alice's entries are not his to step through: the first Back leaves the page.
    await backTo(page, 'left');
    await alice.context.close();
  });

  it('signing out from an open room leaves no entries that would reopen it', async () => {
    const page = app.alice.page;
    await inDemoRoom(page);
    await backTo(page, 'list');
    await page.goForward({ waitUntil: 'commit' });
    await expect.poll(() => shown(page), { timeout: WAIT }).toBe('room');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
    await backTo(page, 'left');
  });
});
