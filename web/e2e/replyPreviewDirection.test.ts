/**
 * The line above the message box that says what is being answered ("Replying to Alice Client: …") shows
 * the start of a right-to-left message, as the quote in the sent reply does: laid out in the line's
 * left-to-right order and cut at its right end, an Arabic or Hebrew message showed only its last words.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom, panel, send } from './support/app.ts';
import { LONG_LINES, startShown } from './support/textShown.ts';

const ROOM = /Deep clean/;

describe.runIf(chromiumAvailable())('the reply line above the message box', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  it('shows the beginning of a long right-to-left message being answered, as of a left-to-right one', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    const shown: Record<string, boolean> = {};
    for (const text of LONG_LINES) {
      await send(alice.page, text);
      const received = messageLog(bob.page).getByRole('article').filter({ hasText: text });
      await received.hover({ timeout: WAIT });
      await received.getByRole('button', { name: 'Reply to Alice Client' }).click();
      await panel(bob.page).locator('.composer-reply').filter({ hasText: text.slice(0, 20) }).waitFor({ timeout: WAIT });
      shown[text.slice(0, 6)] = await startShown(panel(bob.page).locator('.composer-reply'), text.slice(0, 20));
      await panel(bob.page).getByRole('button', { name: 'Cancel reply' }).click();
    }
    expect(shown).toEqual(Object.fromEntries(LONG_LINES.map((text) => [text.slice(0, 6), true])));
  });
});
