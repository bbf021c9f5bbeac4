/**
 * A message the server fails INTERNAL on every try (here the database chokes on it), in a real browser
 * against the real server: once the library's own retries run out it is "Not sent" with Retry and
 * Discard, and Discard asks first, saying it may have been delivered. Discarded, it is not back after
 * a reload, and nothing sends it again once the database would take it; one the database stored
 * before failing (the commit made, its answer lost) still shows, once, as sent.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Store } from '@ecc/server';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, backInRoom, messageLog, openRoom, send } from './support/app.ts';

const ROOM = /Deep clean/;
const QUESTION = 'Stop sending? It may already have been delivered; if so it will still show in the conversation.';

/** How the database fails a batch holding a message of this text: storing nothing, or after storing it. */
const faults = new Map<string, 'nothing stored' | 'stored'>();

/** The store with its appendMessages failing as `faults` says (failures.test.ts fails it the same way). */
function failingOnFaults(store: Store): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'appendMessages') {
        return async (batch: Parameters<Store['appendMessages']>[0]) => {
          const fault = batch.map((m) => faults.get(m.content)).find(Boolean);
          if (fault === 'stored') await target.appendMessages(batch);
          if (fault) throw new Error('database is down');
          return target.appendMessages(batch);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe.runIf(chromiumAvailable())('a message the server keeps failing', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, undefined, { wrapStore: failingOnFaults });

  const mine = (page: Page, text: string) => messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: text });
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? document.activeElement?.tagName);

  async function reload(page: Page): Promise<void> {
    await page.reload();
    await backInRoom(page, ROOM);
  }

  /** Stored messages of the demo room with this text, as the database holds them. */
  async function storedCount(text: string): Promise<number> {
    const { messages } = await app.server.store.history({ roomId: app.server.demo!.roomId, limit: 100 });
    return messages.filter((m) => m.content === text).length;
  }

  it('offers Discard beside Retry, asks saying it may have been delivered, and once discarded it is not back after a reload nor sent again', async () => {
    const { alice, bob } = app;
    await openRoom(bob.page, ROOM);
    await openRoom(alice.page, ROOM);
    const text = 'Gate code 4471, the alarm is off';
    faults.set(text, 'nothing stored');
    await send(alice.page, text);
    const bubble = mine(alice.page, text);
    await expect.poll(() => bubble.getByRole('alert').textContent(), { timeout: 60_000 }).toMatch(/^Not sent/);
    expect(await bubble.getByRole('button', { name: 'Retry' }).count()).toBe(1);

    await bubble.getByRole('button', { name: 'Discard' }).click();
    const confirm = bubble.getByRole('button', { name: 'Confirm discard' });
    // Asked as the other Discard asks, in red, the focus on it; the question shown and read with it.
    await expect.poll(() => focused(alice.page), { timeout: WAIT }).toBe('Confirm discard');
    expect(await bubble.getByText(QUESTION).isVisible()).toBe(true);
    expect(await confirm.getAttribute('aria-describedby').then((id) => alice.page.locator(`[id="${id}"]`).textContent())).toBe(QUESTION);
    expect(await confirm.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(220, 38, 38)');
    await alice.page.keyboard.press('Escape');
    await expect.poll(() => focused(alice.page), { timeout: WAIT }).toBe('Discard');
    expect(await bubble.getByText(QUESTION).count()).toBe(0);

    await alice.page.keyboard.press('Enter');
    await confirm.click();
    await expect.poll(() => bubble.count(), { timeout: WAIT }).toBe(0);
    expect(await alice.page.getByLabel('Message', { exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);

    // The database would take it now: had anything kept it, the reload or the reconnect would send it.
    faults.delete(text);
    await reload(alice.page);
    const after = 'Sent after the reload';
    await send(alice.page, after);
    await expect.poll(() => messageLog(bob.page).getByText(after).count(), { timeout: WAIT }).toBe(1);
    expect(await mine(alice.page, text).count()).toBe(0);
    expect(await messageLog(bob.page).getByText(text).count()).toBe(0);
    expect(await storedCount(text)).toBe(0);
  });

  it('shows the copy the database stored before failing once, as sent, after it was discarded and the page reloaded', async () => {
    const { alice, bob } = app;
    await backInRoom(alice.page, ROOM);
    const text = 'Left the keys with the concierge';
    faults.set(text, 'stored');
    await send(alice.page, text);
    const bubble = mine(alice.page, text);
    await expect.poll(() => bubble.getByRole('alert').textContent(), { timeout: 60_000 }).toMatch(/^Not sent/);
    await bubble.getByRole('button', { name: 'Discard' }).click();
    await bubble.getByRole('button', { name: 'Confirm discard' }).click();
    await expect.poll(() => bubble.count(), { timeout: WAIT }).toBe(0);
    expect(await storedCount(text)).toBe(1);

    await reload(alice.page);
    await expect.poll(() => mine(alice.page, text).count(), { timeout: WAIT }).toBe(1);
    expect(await mine(alice.page, text).textContent()).not.toMatch(/Not sent|Sending…/);
    await reload(bob.page);
    await expect.poll(() => messageLog(bob.page).getByText(text).count(), { timeout: WAIT }).toBe(1);
    faults.delete(text);
  });
});
