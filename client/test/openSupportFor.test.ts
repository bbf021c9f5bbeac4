/**
 * ApiClient.openSupportFor against a real server: support staff reach a user first in that user's one
 * support room (the user hears it live); anyone else naming a user is refused.
 */
import { afterEach, expect, it } from 'vitest';
import { ChatError } from '../src/index.ts';
import { until } from './support/recorder.ts';
import { startHarness, type Harness } from './support/realServer.ts';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('support staff open a client\'s support room: the client hears it, and their own "Contact support" gets the same room', async () => {
  h = await startHarness();
  const alice = await h.connectAs('client1');
  const sam = await h.connectAs('support1');
  const room = await sam.api.openSupportFor(alice.user.id);
  expect(room).toMatchObject({ type: 'support', lastMessage: { content: 'Sam Support from support started this conversation' } });
  await until(() => alice.events.room.some((e) => e.room.id === room.id), 5000, 'the room to reach Alice');
  expect((await alice.api.openSupport()).id).toBe(room.id);
  expect((await sam.api.openSupportFor(alice.user.id)).id).toBe(room.id);
});

it('a client naming another user is refused with FORBIDDEN', async () => {
  h = await startHarness();
  const alice = await h.connectAs('client1');
  const carol = await h.connectAs('client2');
  const refused = await carol.api.openSupportFor(alice.user.id).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(refused).toBeInstanceOf(ChatError);
  expect(refused).toMatchObject({ code: 'FORBIDDEN' });
});
