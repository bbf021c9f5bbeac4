/**
 * What one client can hold of a node's connections (each an open file; past the process's limit
 * the node accepts nobody): a refused socket upgrade is let go whether or not the client closes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { openConnections, rawConnect } from './support/rawHttp.ts';

const UPGRADE = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

describe('connections a client holds', () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  // The upgrade's answer was written with end(): the server's side stayed open until the client
  // closed its own, which one that never does (no credentials needed) held for good, no timeout applying.
  it('a refused socket upgrade is closed by the server even when the client keeps its side open', async () => {
    server = await startTestServer({ seed: false });
    const clients = await Promise.all([rawConnect(server, { allowHalfOpen: true }), rawConnect(server, { allowHalfOpen: true })]);
    try {
      clients[0]?.socket.write(UPGRADE('/ws/user/1/'));
      clients[1]?.socket.write(UPGRADE('/ws/nowhere/'));
      expect(await clients[0]?.answered(/\r\n\r\n.*UNAUTHORIZED/s)).toMatch(/^HTTP\/1\.1 401 /);
      expect(await clients[1]?.answered(/\r\n\r\n.*NOT_FOUND/s)).toMatch(/^HTTP\/1\.1 404 /);
      await vi.waitFor(async () => expect(await openConnections(server!)).toBe(0), { timeout: 5000, interval: 50 });
    } finally {
      for (const client of clients) client.socket.destroy();
    }
  });
});
