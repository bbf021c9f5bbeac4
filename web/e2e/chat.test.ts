/**
 * Two people chat in real browsers: client1 (Alice) and cleaner1 (Bob) over a
 * real server. Covers both directions, the badge and list, read state,
 * history paging by scrolling up, and a message sent while the other side was
 * away.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, chatsButton, messageLog, openPanel, openRoom, send } from './support/app.ts';

const ROOM = /Deep clean/;

describe.runIf(chromiumAvailable())('chat between a client and a cleaner', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  it('delivers messages both ways, with the badge, list and read state following', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await expect.poll(() => messageLog(alice.page).textContent(), { timeout: WAIT }).toContain('Cleaning products are under the sink.');

    // Bob has the panel closed: the badge and the list must tell him.
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toMatch(/^Chats, \d+ unread$/);
    const before = Number((await chatsButton(bob.page).getAttribute('aria-label'))?.match(/\d+/)?.[0]);

    await send(alice.page, 'Hello from Alice, the door code is 4711');
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe(`Chats, ${before + 1} unread`);
    await expect.poll(() => bob.page.getByTestId('chat-badge').textContent(), { timeout: WAIT }).toBe(String(before + 1));
    await openPanel(bob.page);
    await expect.poll(() => chatListItem(bob.page, ROOM).textContent(), { timeout: WAIT }).toContain('Hello from Alice, the door code is 4711');

    // Opening the room marks it read: the badge goes away.
    await openRoom(bob.page, ROOM);
    await expect.poll(() => messageLog(bob.page).textContent(), { timeout: WAIT }).toContain('the door code is 4711');
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');

    // Alice sees that Bob read it.
    await expect.poll(() => messageLog(alice.page).getByText('Seen', { exact: true }).count(), { timeout: WAIT }).toBe(1);

    // And the other way, while Bob types first.
    await bob.page.getByLabel('Message', { exact: true }).fill('Got it');
    await expect.poll(() => alice.page.getByText('Bob Cleaner is typing…').count(), { timeout: WAIT }).toBe(1);
    await bob.page.getByLabel('Message', { exact: true }).press('Enter');
    await expect.poll(() => messageLog(alice.page).textContent(), { timeout: WAIT }).toContain('Got it');
    await expect.poll(() => messageLog(bob.page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);

    // Exactly once on each side.
    for (const page of [alice.page, bob.page]) {
      await expect.poll(() => messageLog(page).getByText('Hello from Alice, the door code is 4711').count()).toBe(1);
      await expect.poll(() => messageLog(page).getByText('Got it', { exact: true }).count()).toBe(1);
    }
  });

  it('shows a message sent while the other person was away once they come back', async () => {
    const { alice, bob } = app;
    await bob.page.close();
    await send(alice.page, 'Sent while you were away');
    await expect.poll(() => messageLog(alice.page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);

    bob.page = await bob.context.newPage();
    await bob.page.goto('/');
    // The session cookie restores the session; the badge counts the missed message.
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
    await openRoom(bob.page, ROOM);
    await expect.poll(() => messageLog(bob.page).getByText('Sent while you were away').count(), { timeout: WAIT }).toBe(1);
  });

  it('sends what was typed while offline once the connection is back, exactly once', async () => {
    const { alice, bob } = app;
    await alice.context.setOffline(true);
    await expect.poll(() => alice.page.getByRole('status').filter({ hasText: /offline|Reconnecting/i }).count(), { timeout: WAIT }).toBeGreaterThan(0);
    await send(alice.page, 'Typed in a tunnel');
    // Shown at once, as pending until the connection is back.
    await expect.poll(() => messageLog(alice.page).getByText('Typed in a tunnel').count()).toBe(1);
    await expect.poll(() => messageLog(alice.page).getByText('Sending…').count(), { timeout: WAIT }).toBe(1);
    await alice.context.setOffline(false);
    await expect.poll(() => messageLog(bob.page).getByText('Typed in a tunnel').count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => messageLog(alice.page).getByText('Sending…').count(), { timeout: 60_000 }).toBe(0);
    expect(await messageLog(alice.page).getByText('Typed in a tunnel').count()).toBe(1);
  });

  it('lets me edit and delete my own message, and the other side sees both', async () => {
    const { alice, bob } = app;
    await send(alice.page, 'Meet at 10');
    const mine = messageLog(alice.page).getByRole('article', { name: 'From You' }).filter({ hasText: 'Meet at 10' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    const editBox = alice.page.getByLabel('Edit text');
    await editBox.fill('Meet at 11');
    await editBox.press('Enter');
    const theirs = messageLog(bob.page).getByRole('article', { name: 'From Alice Client' }).filter({ hasText: 'Meet at 11' });
    await expect.poll(() => theirs.textContent(), { timeout: WAIT }).toContain('(edited)');

    const edited = messageLog(alice.page).getByRole('article', { name: 'From You' }).filter({ hasText: 'Meet at 11' });
    await edited.hover();
    await edited.getByRole('button', { name: 'Delete' }).click();
    await edited.getByRole('button', { name: 'Confirm delete' }).click();
    await expect.poll(() => messageLog(bob.page).getByText('Meet at 11').count(), { timeout: WAIT }).toBe(0);
    await expect.poll(() => messageLog(bob.page).getByText('This message was deleted').count(), { timeout: WAIT }).toBe(1);
  });

  it('edits a message full of emoji up to the limit as the server counts it (an emoji is one character)', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    await send(alice.page, 'Rooms done: kitchen');
    const mine = messageLog(alice.page).getByRole('article', { name: 'From You' }).filter({ hasText: 'Rooms done: kitchen' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    const editBox = alice.page.getByLabel('Edit text');
    // 3,000 characters for the server, 6,000 UTF-16 units for a browser's maxlength.
    const sponges = '🧽'.repeat(3000);
    await editBox.fill(`Rooms done: ${sponges}`);
    // All of it kept ("Rooms done: " and 3,000 sponges); compared by length, as a failure would print them all.
    expect([...(await editBox.inputValue())].length).toBe(12 + 3000);
    await editBox.press('Enter');
    const theirs = messageLog(bob.page).getByRole('article', { name: 'From Alice Client' }).filter({ hasText: 'Rooms done:' });
    await expect.poll(() => theirs.textContent(), { timeout: WAIT }).toContain('(edited)');
    expect((await theirs.textContent())?.includes(sponges)).toBe(true);
  });

  it('keeps the unread badge in step on every tab: reading on one clears it on the other', async () => {
    const { alice, bob } = app;
    await alice.page.getByRole('button', { name: 'Close chat panel' }).click();
    const secondTab = await alice.context.newPage();
    await secondTab.goto('/');
    await expect.poll(() => chatsButton(secondTab).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');

    await send(bob.page, 'Two tabs, one badge');
    for (const page of [alice.page, secondTab]) {
      await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
    }
    await expect.poll(() => alice.page.title(), { timeout: WAIT }).toBe('(1) E-Cleaner Chat');

    await openRoom(alice.page, ROOM);
    for (const page of [alice.page, secondTab]) {
      await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    }
    await expect.poll(() => secondTab.title(), { timeout: WAIT }).toBe('E-Cleaner Chat');
    await secondTab.close();
  });
});
