// @vitest-environment jsdom
/**
 * The browser path: the default `globalThis.WebSocket` (jsdom's here), no
 * headers (the browser sends the session cookie), `close()` instead of
 * `terminate()` when dropping a dead link.
 */
import { expect, it } from 'vitest';
import { ChatClient } from '../src/index.ts';
import { message, scriptedServerPerTest, until } from './support/scriptedServer.ts';

const scripted = scriptedServerPerTest();

it('uses the global WebSocket without headers, delivers messages and recovers from a dead link', async () => {
  const { server } = scripted;
  expect(typeof globalThis.WebSocket).toBe('function');
  const client = new ChatClient({
    url: server.url,
    userId: 1,
    token: 'ignored-in-browsers',
    backoff: { initialMs: 20, maxMs: 50 },
    keepAlive: { pingMs: 50, pongTimeoutMs: 100 },
  });
  scripted.client = client;
  const seen: number[] = [];
  client.on('message', ({ message: m }) => seen.push(m.seq));
  client.connect();
  const peer = await server.nextPeer();
  expect(peer.request.headers.authorization).toBeUndefined();
  await until(() => client.state === 'open');
  peer.send({ type: 'message', message: message(1, 1) });
  await until(() => seen.length === 1);

  server.answerPings = false; // the link goes silent: the client must notice and reconnect
  const next = server.nextPeer();
  const reconnected = await next;
  server.answerPings = true;
  reconnected.send({ type: 'message', message: message(1, 2) });
  await until(() => seen.length === 2);
  expect(seen).toEqual([1, 2]);
});
