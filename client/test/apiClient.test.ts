/**
 * ApiClient against a server that never answers (a wedged proxy, a link that
 * died): a program awaiting a sign-in must get an error, not wait for ever.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, ChatError } from '../src/index.ts';

const sockets = new Set<Socket>();
const silent = createServer((socket) => sockets.add(socket)); // accepts, reads, never answers
let baseUrl = '';

beforeAll(async () => {
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  silent.close();
});

it('a request the server never answers fails with UNAVAILABLE after timeoutMs', async () => {
  const api = new ApiClient({ baseUrl, timeoutMs: 300 });
  const error = await api.login('client1', 'demo').then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ChatError);
  expect(error).toMatchObject({ code: 'UNAVAILABLE', message: 'No answer from the server within 300 ms' });
});
