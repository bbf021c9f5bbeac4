/**
 * Taking back a message written offline, against a real server: one that never went on a socket
 * can be withdrawn and never reaches anyone; one that went out cannot (it may be stored already),
 * unless the app asks even so while it waits off the socket for the reconnect (its user was told it
 * may have been delivered). As the connection comes back the library alone decides: withdrawn, or sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from './support/recorder.ts';
import { startHarness, type Harness } from './support/realServer.ts';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A fresh server (kept in `h`) and its demo job room's id. */
async function startWithRoom(): Promise<{ h: Harness; roomId: number }> {
  const started = await startHarness();
  h = started;
  const roomId = started.server.demo?.roomId;
  if (roomId === undefined) throw new Error('the test server was not seeded');
  return { h: started, roomId };
}

it('withdraws a send queued offline: it never goes out after the reconnect, and what was written after it does', async () => {
  const { h, roomId } = await startWithRoom();
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
  const { h, roomId } = await startWithRoom();
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

it('withdraws, asked even if written, a send written on a link that died (a lift): it is not sent again after the reconnect', async () => {
  const { h, roomId } = await startWithRoom();
  const alice = await h.connectAs('client1', { backoff: { initialMs: 300, maxMs: 300, jitter: 0 } });
  const bob = await h.connectAs('cleaner1');

  // The socket still looks open but nothing gets through: the send is written, and lost.
  const lift = alice.sockets.at(-1);
  if (!lift) throw new Error('no socket');
  lift.swallow = (frame) => frame.type === 'send';
  const wrong = alice.client.send({ roomId, content: 'the door code is 4512', clientId: 'in-the-lift' }).then(
    () => 'stored',
    (err: unknown) => (err as { message?: string }).message,
  );
  expect(alice.events.send_written.map((e) => e.clientId)).toEqual(['in-the-lift']);
  h.killSockets(alice.user.id);
  await until(() => alice.client.state === 'reconnecting');

  // Written once, so only when the app says it may be stored (and the user agreed to that).
  expect(alice.client.withdraw('in-the-lift')).toBe(false);
  expect(alice.client.withdraw('in-the-lift', { evenIfWritten: true })).toBe(true);
  expect(await wrong).toBe('Withdrawn before it was sent again');
  expect(alice.client.withdraw('in-the-lift', { evenIfWritten: true })).toBe(false);

  await until(() => alice.client.state === 'open');
  await alice.client.send({ roomId, content: 'see you at 9' });
  await until(() => bob.events.message.some((e) => e.message.content === 'see you at 9'));
  expect(bob.events.message.map((e) => e.message.content)).not.toContain('the door code is 4512');
  expect(alice.events.message.map((e) => e.message.content)).not.toContain('the door code is 4512');
});

it('withdraws, asked even if written, a send the server stored before the drop: not sent again, its stored copy still comes as a message', async () => {
  const { h, roomId } = await startWithRoom();
  const alice = await h.connectAs('client1', { backoff: { initialMs: 300, maxMs: 300, jitter: 0 } });
  const bob = await h.connectAs('cleaner1');

  const first = alice.sockets.at(-1);
  if (!first) throw new Error('no socket');
  first.lose = (frame) => frame.type === 'ack';
  const sent = alice.client.send({ roomId, content: 'stored, then cut off', clientId: 'stored-early' }).catch(() => 'withdrawn');
  await until(() => bob.events.message.some((e) => e.message.content === 'stored, then cut off'));
  h.killSockets(alice.user.id);
  await until(() => alice.client.state === 'reconnecting');

  expect(alice.client.withdraw('stored-early', { evenIfWritten: true })).toBe(true);
  expect(await sent).toBe('withdrawn');
  // The resync after the reconnect brings it, as any message of the room: shown as sent, once.
  await until(() => alice.events.message.some((e) => e.message.clientId === 'stored-early'));
  expect(alice.events.message.filter((e) => e.message.clientId === 'stored-early')).toHaveLength(1);
  expect(bob.events.message.filter((e) => e.message.clientId === 'stored-early')).toHaveLength(1);
});

describe('withdrawing as the connection comes back: the library alone decides, so it is withdrawn or sent, never both', () => {
  it('withdrawn before the queue goes (a listener of ready): never sent', async () => {
    const { h, roomId } = await startWithRoom();
    const alice = await h.connectAs('client1', { backoff: { initialMs: 300, maxMs: 300, jitter: 0 } });
    const bob = await h.connectAs('cleaner1');
    h.killSockets(alice.user.id);
    await until(() => alice.client.state === 'reconnecting');
    const wrong = alice.client.send({ roomId, content: 'the door code is 4512', clientId: 'racing' }).then(() => 'stored', () => 'withdrawn');
    const kept = alice.client.send({ roomId, content: 'see you at 9' });
    const outcomes: boolean[] = [];
    alice.client.on('ready', () => outcomes.push(alice.client.withdraw('racing')));

    await kept;
    await until(() => bob.events.message.some((e) => e.message.content === 'see you at 9'));
    expect(outcomes).toEqual([true]);
    expect(await wrong).toBe('withdrawn');
    expect(bob.events.message.map((e) => e.message.content)).not.toContain('the door code is 4512');
  });

  it('withdrawn just after it went (a listener of send_written): refused, and it is stored and acknowledged', async () => {
    const { h, roomId } = await startWithRoom();
    const alice = await h.connectAs('client1', { backoff: { initialMs: 300, maxMs: 300, jitter: 0 } });
    const bob = await h.connectAs('cleaner1');
    h.killSockets(alice.user.id);
    await until(() => alice.client.state === 'reconnecting');
    const outcomes: boolean[] = [];
    alice.client.on('send_written', (e) => outcomes.push(alice.client.withdraw(e.clientId, { evenIfWritten: true })));
    const sent = alice.client.send({ roomId, content: 'on my way', clientId: 'racing' });

    expect((await sent).content).toBe('on my way');
    expect(outcomes).toEqual([false]);
    await until(() => bob.events.message.some((e) => e.message.content === 'on my way'));
  });

  it('a send replayed after the drop is on the new socket once the connection is open: refused even if written, and acknowledged', async () => {
    const { h, roomId } = await startWithRoom();
    const alice = await h.connectAs('client1', { backoff: { initialMs: 300, maxMs: 300, jitter: 0 } });
    const lift = alice.sockets.at(-1);
    if (!lift) throw new Error('no socket');
    lift.swallow = (frame) => frame.type === 'send';
    const sent = alice.client.send({ roomId, content: 'out of the lift', clientId: 'replayed' });
    h.killSockets(alice.user.id);
    await until(() => alice.client.state === 'reconnecting');
    await until(() => alice.client.state === 'open');

    expect(alice.client.withdraw('replayed', { evenIfWritten: true })).toBe(false);
    expect((await sent).content).toBe('out of the lift');
  });
});
