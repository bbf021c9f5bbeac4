/**
 * `deliverUnread`: a program that answers messages (a support bot) must see
 * every message its user has not read, also those written while it was
 * stopped or disconnected, and the first ones of a room created meanwhile.
 * By default a room first seen starts at its lastSeq (the web app loads
 * history itself), so those never came through the `message` stream.
 */
import { afterEach, expect, it } from 'vitest';
import { seqsOf, until } from './support/recorder.ts';
import { startHarness, type Harness } from './support/realServer.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('delivers the messages written while the program was away, from its read mark, once each and in order', async () => {
  h = await startHarness();
  const roomId = h.server.demo?.roomId ?? 0;
  const alice = await h.connectAs('client1');
  await alice.client.send({ roomId, content: 'Are you still coming?' });
  const last = await alice.client.send({ roomId, content: 'The key is under the mat' });
  // Bob read up to seq 3 in the demo data: 4 and 5 were there before, then the two above.
  const bob = await h.connectAs('cleaner1', { deliverUnread: true });
  await until(() => bob.client.lastSeq(roomId) === last.seq, 10_000, 'the unread messages');
  expect(seqsOf(bob.events, roomId)).toEqual([4, 5, last.seq - 1, last.seq]);
  const live = await alice.client.send({ roomId, content: 'See you' });
  await until(() => bob.client.lastSeq(roomId) === live.seq);
  expect(seqsOf(bob.events, roomId)).toEqual([4, 5, last.seq - 1, last.seq, live.seq]);
});

it('delivers a room created meanwhile whole: after a reconnect, and when announced while connected', async () => {
  h = await startHarness();
  const agent = await h.connectAs('support1', { deliverUnread: true });
  const cleaner = await h.connectAs('cleaner2');
  const opened = await cleaner.api.openSupport();
  await cleaner.client.send({ roomId: opened.id, content: 'Locked out, please help' });
  await until(() => agent.client.lastSeq(opened.id) === 2, 10_000, 'the new room');
  expect(seqsOf(agent.events, opened.id)).toEqual([1, 2]);

  // The agent's link drops; a room is opened and written to before it is back.
  agent.client.close();
  const client = await h.connectAs('client2');
  const other = await client.api.openSupport();
  const written = await client.client.send({ roomId: other.id, content: 'Where is my cleaner?' });
  agent.client.connect();
  await until(() => agent.client.lastSeq(other.id) === written.seq, 10_000, 'the room opened while away');
  expect(seqsOf(agent.events, other.id)).toEqual([1, 2]);
  expect(seqsOf(agent.events, opened.id)).toEqual([1, 2]);
});
