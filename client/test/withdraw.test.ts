/**
 * Taking back a message written offline, against a real server: one that never went on a socket
 * can be withdrawn and never reaches anyone; one that went out cannot (it may be stored already).
 */
import { afterEach, expect, it } from 'vitest';
import { until } from './support/recorder.ts';
import { startHarness, type Harness } from './support/realServer.ts';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('withdraws a send queued offline: it never goes out after the reconnect, and what was written after it does', async () => {
  h = await startHarness();
  const roomId = h.server.demo?.roomId;
  if (roomId === undefined) throw new Error('the test server was not seeded');
  const alice = await h.connectAs('client1', { backoff: { initialMs: 300, maxMs: 300, jitter: 0 } });
  const bob = await h.connectAs('cleaner1');

  h.killSockets(alice.user.id);
  await until(() => alice.client.state === 'reconnecting');
  const wrong = alice.client.send({ roomId, content: 'the key code is 4512', clientId: 'wrong-room' }).then(
    () => 'stored',
    (err: unknown) => (err as { message?: string }).message,
  );
  const kept = alice.client.send({ roomId, content: 'see you at 9', clientId: 'kept' });
  expect(alice.client.withdraw('wrong-room')).toBe(true);
  expect(await wrong).toBe('Withdrawn before it was sent');

  await kept;
  await until(() => bob.events.message.some((e) => e.message.content === 'see you at 9'));
  expect(bob.events.message.map((e) => e.message.content)).not.toContain('the key code is 4512');
  expect(alice.events.send_written.map((e) => e.clientId)).toEqual(['kept']);
});

it('does not withdraw a send that went on a socket: the server may hold it (it is re-sent with its clientId after a drop)', async () => {
  h = await startHarness();
  const roomId = h.server.demo?.roomId;
  if (roomId === undefined) throw new Error('the test server was not seeded');
  const alice = await h.connectAs('client1');
  const sent = alice.client.send({ roomId, content: 'on its way', clientId: 'written' });
  expect(alice.events.send_written.map((e) => e.clientId)).toEqual(['written']);
  expect(alice.client.withdraw('written')).toBe(false);
  expect((await sent).content).toBe('on its way');
});

it('says a send the server refused was refused (nothing stored), not merely failed', async () => {
  h = await startHarness({ config: { limits: { sendRateLimit: 1, sendRateWindowMs: 60_000 } } });
  const roomId = h.server.demo?.roomId;
  if (roomId === undefined) throw new Error('the test server was not seeded');
  const alice = await h.connectAs('client1');
  await alice.client.send({ roomId, content: 'first' });
  await alice.client.send({ roomId, content: 'second' }).catch(() => undefined);
  expect(alice.events.send_failed.map((e) => [e.error.code, e.refused])).toEqual([['RATE_LIMITED', true]]);
});
