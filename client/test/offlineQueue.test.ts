/**
 * A long offline period, against a real server: whatever the user wrote
 * meanwhile goes out after the reconnect, each message once and in the order
 * written, even when there is more of it than the server takes in one burst.
 */
import { afterEach, expect, it } from 'vitest';
import { seqsOf, until } from './support/recorder.ts';
import { startHarness, type Harness } from './support/realServer.ts';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('sends queued offline past the rate limit wait for the limit and are all stored, once each, in the order written', async () => {
  // A small limit keeps the test short; the client does not know it.
  h = await startHarness({ config: { limits: { sendRateLimit: 5, sendRateWindowMs: 3000 } } });
  const roomId = h.server.demo?.roomId;
  if (roomId === undefined) throw new Error('the test server was not seeded');
  const alice = await h.connectAs('client1', { backoff: { initialMs: 300, maxMs: 300, jitter: 0 }, rateLimitRetryMs: 300 });
  const bob = await h.connectAs('cleaner1');

  h.killSockets(alice.user.id);
  await until(() => alice.client.state === 'reconnecting');
  const written = Array.from({ length: 12 }, (_, i) => `written offline ${i + 1}`);
  const sends = written.map((content) => alice.client.send({ roomId, content }));
  const stored = await Promise.all(sends);

  expect(alice.events.send_failed).toEqual([]);
  expect(stored.map((m) => m.content)).toEqual(written);
  const seqs = stored.map((m) => m.seq);
  expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
  // Bob sees the same: every message once, in the order Alice wrote them.
  await until(() => written.every((c) => bob.events.message.some((e) => e.message.content === c)));
  const bobsCopy = bob.events.message.filter((e) => e.message.roomId === roomId).map((e) => e.message.content);
  expect(bobsCopy).toEqual(written);
  expect(seqsOf(bob.events, roomId)).toEqual(seqs);
});

it('deletions and edits queued offline past the edit limit wait for the limit and are all made', async () => {
  // The edit limit counts edits and deletes together; a small one keeps the test short.
  h = await startHarness({ config: { limits: { editRateLimit: 3, sendRateWindowMs: 3000 } } });
  const roomId = h.server.demo?.roomId;
  if (roomId === undefined) throw new Error('the test server was not seeded');
  const alice = await h.connectAs('client1', { backoff: { initialMs: 300, maxMs: 300, jitter: 0 }, rateLimitRetryMs: 300 });
  const bob = await h.connectAs('cleaner1');
  const mine = [];
  for (let i = 1; i <= 6; i++) mine.push(await alice.client.send({ roomId, content: `note ${i}` }));

  h.killSockets(alice.user.id);
  await until(() => alice.client.state === 'reconnecting');
  const [edited, ...deleted] = mine;
  if (!edited) throw new Error('nothing sent');
  const changes = [alice.client.edit(edited.id, 'note 1, corrected'), ...deleted.map((m) => alice.client.delete(m.id))];
  const outcomes = await Promise.allSettled(changes);

  expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code?: string }).code : 'made'))).toEqual(changes.map(() => 'made'));
  // Bob sees every change.
  const lastCopy = (id: number) => bob.events.message_updated.filter((e) => e.message.id === id).at(-1)?.message;
  await until(() => deleted.every((m) => lastCopy(m.id)?.deletedAt) && lastCopy(edited.id)?.content === 'note 1, corrected');
});

it('a burst the user makes while connected is still refused past the limit (only what the client held back waits)', async () => {
  h = await startHarness({ config: { limits: { sendRateLimit: 5, sendRateWindowMs: 60_000 } } });
  const roomId = h.server.demo?.roomId;
  if (roomId === undefined) throw new Error('the test server was not seeded');
  const alice = await h.connectAs('client1', { rateLimitRetryMs: 50 });
  const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => alice.client.send({ roomId, content: `live ${i}` })));
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
  expect(alice.events.send_failed.map((e) => e.error.code)).toEqual(['RATE_LIMITED']);
});

it('a session ended while offline stops the client at the reconnect and fails what was queued, instead of retrying for ever', async () => {
  h = await startHarness();
  const roomId = h.server.demo?.roomId;
  if (roomId === undefined) throw new Error('the test server was not seeded');
  const alice = await h.connectAs('client1', { backoff: { initialMs: 500, maxMs: 500, jitter: 0 } });
  h.killSockets(alice.user.id);
  await until(() => alice.client.state === 'reconnecting');
  const queued = alice.client.send({ roomId, content: 'written offline' }).then(
    () => 'stored',
    (err: unknown) => (err as { code?: string }).code,
  );
  // Signed out elsewhere (or the session expired) while no socket of this client could hear it.
  await alice.api.logout();
  expect(await queued).toBe('UNAUTHORIZED');
  expect(alice.client.state).toBe('closed');
  expect(alice.events.send_failed.map((e) => e.error.code)).toEqual(['UNAUTHORIZED']);
});
