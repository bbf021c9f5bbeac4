// @vitest-environment jsdom
/**
 * The browser path (the global WebSocket, the session cookie) when a session
 * ends while the user is offline: a browser does not say why an upgrade
 * failed, so a 401 looks like a server that is down. The client must find out
 * and stop, failing what the user queued, instead of reconnecting forever
 * with their messages shown as sending.
 */
import { expect, it } from 'vitest';
import { ChatClient } from '../src/index.ts';
import { record, until } from './support/recorder.ts';
import { scriptedServerPerTest } from './support/scriptedServer.ts';

const scripted = scriptedServerPerTest();

function browserClient() {
  const client = new ChatClient({ url: scripted.server.url, userId: 1, backoff: { initialMs: 20, maxMs: 50 } });
  scripted.client = client;
  return { client, events: record(client) };
}

/** A browser client connected, then cut off by a server that now refuses its upgrades with `status`. */
async function cutOffThenRefused(status: number) {
  const { server } = scripted;
  const { client, events } = browserClient();
  client.connect();
  await until(() => client.state === 'open');
  server.refuseUpgrades = status;
  server.peers[0]?.socket.terminate();
  return { server, client, events };
}

it('stops with UNAUTHORIZED when the session ended while offline, failing the sends queued meanwhile', async () => {
  const { server, client, events } = await cutOffThenRefused(401);
  await until(() => client.state === 'reconnecting');
  const sent = client.send({ roomId: 1, content: 'written offline' });
  const outcome = sent.then(
    () => 'stored',
    (err: unknown) => (err as { code?: string }).code,
  );
  await until(() => client.state === 'closed', 15_000, 'the client to stop reconnecting');
  expect(await outcome).toBe('UNAUTHORIZED');
  expect(events.send_failed.map((e) => e.error.code)).toEqual(['UNAUTHORIZED']);
  expect(server.peers).toHaveLength(1);
});

it('keeps reconnecting while upgrades fail for another reason, and sends what was queued once back', async () => {
  const { server, client, events } = await cutOffThenRefused(502);
  const sent = client.send({ roomId: 1, content: 'written offline' });
  await until(() => events.state.filter((s) => s.state === 'reconnecting').length >= 4, 10_000, 'several failed attempts');
  expect(client.state).toBe('reconnecting');
  server.refuseUpgrades = undefined;
  const peer = await server.nextPeer();
  const frame = await peer.next((f) => f.type === 'send');
  expect(frame.content).toBe('written offline');
  peer.send({ type: 'error', ref: frame.ref, code: 'BAD_REQUEST', message: 'just an answer' });
  await expect(sent).rejects.toMatchObject({ code: 'BAD_REQUEST' });
});
