/**
 * What a screen reader says when the other person writes while the reader is further up the
 * conversation: each message once, from the room's one arrival line, not again from the
 * "N new messages ↓" button counting up beside it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, openRoom, send, wheelTo } from './support/app.ts';

const ROOM = /Deep clean/;

/** Starts noting what every live region of the page says (its text, each time it changes to some). */
async function listenToLiveRegions(page: Page): Promise<void> {
  await page.evaluate(() => {
    const LIVE = '[role="status"], [role="alert"], [role="log"]:not([aria-live="off"]), [aria-live="polite"], [aria-live="assertive"]';
    const said: string[] = [];
    const last = new WeakMap<Element, string>();
    (window as unknown as { said: string[] }).said = said;
    new MutationObserver((records) => {
      for (const record of records) {
        const node = record.target instanceof Element ? record.target : record.target.parentElement;
        const region = node?.closest(LIVE);
        const text = region?.textContent?.trim() ?? '';
        if (!region || text === '' || last.get(region) === text) continue;
        last.set(region, text);
        said.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

function saidSoFar(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { said: string[] }).said.filter((text) => !/is typing/.test(text)));
}

describe.runIf(chromiumAvailable())('new messages said to a screen reader', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, (server) => seedBobLines(server, 40, 'Earlier line'));

  it('says each message from Bob once while Alice reads older ones, not also the count on the jump button', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    await wheelTo(alice.page, 'end');
    await wheelTo(alice.page, 'start');
    await listenToLiveRegions(alice.page);

    await send(bob.page, 'The door code is 4711');
    await alice.page.getByRole('button', { name: '1 new message ↓' }).waitFor({ timeout: WAIT });
    // Past the status line's gap (ANNOUNCE_GAP_MS): said on its own, not together with the first.
    await alice.page.waitForTimeout(2000);
    await send(bob.page, 'The bins go out on Monday');
    await alice.page.getByRole('button', { name: '2 new messages ↓' }).waitFor({ timeout: WAIT });
    await expect.poll(async () => (await saidSoFar(alice.page)).join('\n'), { timeout: WAIT }).toContain('The bins go out on Monday');
    // Anything said late about it too.
    await alice.page.waitForTimeout(1000);

    expect(await saidSoFar(alice.page)).toEqual([
      'New message from Bob Cleaner: The door code is 4711',
      'New message from Bob Cleaner: The bins go out on Monday',
    ]);
  });
});
