/**
 * "שרה כהן, דוד לוי and Bob Cleaner are typing…" shows Sara's name first (leftmost), then David's, in
 * the chat list and in the open room. The line as one left-to-right run took the ", " between the two
 * right-to-left names into their run, laid out right to left: David's name showed first, Sara's after it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { ChatClient } from '@ecc/client';
import { nodeWebSocket } from '@ecc/client/node';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, openPanel, openRoom, panel } from './support/app.ts';

const SARA = 'שרה כהן';
const DAVID = 'דוד לוי';

/** Where the names are drawn in `line` (their left edges), in the order given. */
function leftsOf(line: Locator, names: string[]): Promise<number[]> {
  return line.evaluate((root, wanted) => {
    const lefts: number[] = [];
    for (const name of wanted) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(name) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + name.length);
        lefts.push(range.getBoundingClientRect().left);
        break;
      }
    }
    return lefts;
  }, names);
}

describe.runIf(chromiumAvailable())('who is typing, with right-to-left names', () => {
  /** Sara, David and Bob, each on a socket of their own, in the order they start typing. */
  const typers: { client: ChatClient; name: string }[] = [];
  let roomId = 0;
  const app = signedInApp(
    { alice: 'client1' },
    async (server) => {
      const alice = server.demo?.users.client1;
      const bob = server.demo?.users.cleaner1;
      if (!alice || !bob) throw new Error('demo data missing');
      const passwordHash = (await server.store.findUserByUsername('cleaner1'))?.passwordHash ?? '';
      const sara = await server.store.createUser({ username: 'sara', displayName: SARA, role: 'cleaner', passwordHash });
      const david = await server.store.createUser({ username: 'david', displayName: DAVID, role: 'cleaner', passwordHash });
      roomId = await server.store.createRoom({ type: 'general', name: 'Team', jobId: null, participantIds: [alice.id, sara.id, david.id, bob.id] });
      for (const user of [sara, david, bob]) {
        const { token } = await server.login(user.username);
        const client = new ChatClient({ url: server.url, userId: user.id, WebSocket: nodeWebSocket(token) });
        const ready = new Promise<void>((resolve) => client.on('ready', () => resolve()));
        client.connect();
        await ready;
        typers.push({ client, name: user.displayName });
      }
    },
    // They type for as long as the test looks.
    { config: { limits: { typingExpiryMs: 600_000 } } },
  );
  afterAll(() => {
    for (const { client } of typers) client.close();
  });

  it('shows the names in the order they are said, in the chat list and in the room', async () => {
    const { page } = app.alice;
    await openPanel(page);
    const row = chatListItem(page, 'Team').locator('.chat-list-preview');
    await row.waitFor({ timeout: WAIT });
    // One after the other, so the line names them in that order.
    for (const { client, name } of typers) {
      client.typing(roomId, true);
      await row.filter({ hasText: name }).waitFor({ timeout: WAIT });
    }
    const [listSara = 0, listDavid = 0] = await leftsOf(row, [SARA, DAVID]);
    await openRoom(page, 'Team');
    const line = panel(page).locator('.typing-indicator');
    await line.filter({ hasText: 'Bob Cleaner are typing' }).waitFor({ timeout: WAIT });
    const [roomSara = 0, roomDavid = 0] = await leftsOf(line, [SARA, DAVID]);
    expect({ list: listSara < listDavid, room: roomSara < roomDavid }).toEqual({ list: true, room: true });
  });
});
