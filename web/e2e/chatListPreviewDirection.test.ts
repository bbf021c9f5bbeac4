/**
 * A chat list row's preview of the last message ("Alice Client: …", "You: …") shows the start of a
 * right-to-left message: the whole line, sender first, was laid out left to right and cut at its right
 * end, which held the message's first words; what showed of an Arabic or Hebrew message was its end.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, messageLog, openPanel, openRoom, panel, send } from './support/app.ts';
import { LONG_LINES, startShown } from './support/textShown.ts';

const ROOM = /Deep clean/;

/** Back on the chat list, the preview of the demo room once it shows `text`: whether its start is seen. */
async function previewStartShown(page: Page, text: string): Promise<boolean> {
  await openPanel(page);
  const back = panel(page).getByRole('button', { name: 'Back to conversations' });
  if (await back.isVisible()) await back.click();
  const preview = chatListItem(page, ROOM).locator('.chat-list-preview');
  await preview.filter({ hasText: text.slice(0, 20) }).waitFor({ timeout: WAIT });
  return startShown(preview, text.slice(0, 20));
}

describe.runIf(chromiumAvailable())('a chat list row’s preview', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  it('shows the beginning of a long right-to-left last message, for its sender and for the other person', async () => {
    const { alice, bob } = app;
    const shown: Record<string, boolean> = {};
    for (const text of LONG_LINES) {
      await openRoom(alice.page, ROOM);
      await send(alice.page, text);
      await messageLog(alice.page).getByText(text).waitFor({ timeout: WAIT });
      shown[`You: ${text.slice(0, 6)}`] = await previewStartShown(alice.page, text);
      shown[`Alice Client: ${text.slice(0, 6)}`] = await previewStartShown(bob.page, text);
    }
    const all = Object.fromEntries(Object.keys(shown).map((key) => [key, true]));
    expect(shown).toEqual(all);
  });
});
