/**
 * What one client address can hold of a node with socket upgrades: an upgrade stays an HTTP
 * connection of its address (MAX_HTTP_CONNECTIONS_PER_ADDRESS) until it is a signed-in user's socket
 * (MAX_SOCKETS_PER_USER bounds those), and one that never gets there is closed after
 * HTTP_HEADERS_TIMEOUT_MS. While the database stalled, each upgrade waited on its session lookup
 * already out of the count: one address could open any number of them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashToken, newToken } from '../src/auth/tokens.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import type { Store } from '../src/storage/store.ts';
import { createTestStore } from './support/databases.ts';
import { openConnections, rawConnect, type RawClient } from './support/rawHttp.ts';
import { TestSocket } from './support/wsClient.ts';

const UPGRADE = (path: string, token: string) =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nAuthorization: Bearer ${token}\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

/**
 * A store whose session lookups wait while it is held, as they do on a stalled database (all pooled
 * connections busy); `waiting` is how many wait now.
 */
function stallableStore(store: Store) {
  let held = false;
  const waiting: (() => void)[] = [];
  const stalled = Object.assign(Object.create(store) as Store, {
    findSession: async (tokenHash: string) => {
      if (held) await new Promise<void>((resolve) => waiting.push(resolve));
      return store.findSession(tokenHash);
    },
  });
  return {
    store: stalled,
    hold: () => void (held = true),
    waiting: () => waiting.length,
    release: () => {
      held = false;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

describe('socket upgrades and the connections per address', () => {
  let server: TestServer | null = null;
  let cleanup: (() => Promise<void>) | null = null;
  let stall: ReturnType<typeof stallableStore> | null = null;
  const clients: RawClient[] = [];
  afterEach(async () => {
    stall?.release();
    stall = null;
    for (const client of clients.splice(0)) client.socket.destroy();
    await server?.close();
    await cleanup?.();
    server = null;
    cleanup = null;
  });
  const connect = async (localAddress = '127.0.0.1') => {
    const client = await rawConnect(server!, { localAddress });
    clients.push(client);
    return client;
  };
  const stalledServer = async (limits: { maxHttpConnectionsPerAddress?: number; httpHeadersTimeoutMs?: number }, metricsToken?: string) => {
    const created = await createTestStore('sqlite');
    cleanup = created.cleanup;
    const made = stallableStore(created.store);
    stall = made;
    server = await startTestServer({ store: made.store, config: { limits, ...(metricsToken ? { metricsToken } : {}) } });
    return made;
  };
  /** A session made in the store: signing in over HTTP would leave a kept-alive connection in the address's count. */
  const signIn = async (username: string) => {
    const user = (await server!.store.findUserByUsername(username))!;
    const token = newToken();
    await server!.store.createSession(user.id, hashToken(token), new Date(Date.now() + 3_600_000));
    return { user, token };
  };

  it('upgrades waiting on a stalled session lookup stay counted: past the cap the address is refused 429, and served again once they are sockets', async () => {
    const metricsToken = 'upgrade-cap-metrics-token-0123456';
    const held = await stalledServer({ maxHttpConnectionsPerAddress: 3 }, metricsToken);
    const { user, token } = await signIn('client1');
    held.hold();
    const waiting = [await connect(), await connect(), await connect()];
    for (const client of waiting) client.socket.write(UPGRADE(`/ws/user/${user.id}/`, token));
    await vi.waitFor(() => expect(held.waiting()).toBe(3), { timeout: 5000, interval: 20 });

    // Each one more either waits on the database too (what went wrong) or is turned away at once.
    for (let i = 0; i < 2; i++) {
      const extra = await connect();
      extra.socket.write(UPGRADE(`/ws/user/${user.id}/`, token));
      const waited = vi.waitFor(() => expect(held.waiting()).toBe(4 + i), { timeout: 5000, interval: 20 }).then(() => 'waits on the session lookup');
      expect(await Promise.race([extra.answered(/\r\n\r\n\{/), waited])).toMatch(/^HTTP\/1\.1 429 .*RATE_LIMITED/s);
      await extra.closed;
    }
    const scraper = await connect('127.0.0.2');
    scraper.socket.write(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${metricsToken}\r\nConnection: close\r\n\r\n`);
    await scraper.closed;
    expect(/^ecc_http_connections_refused_total (\d+)$/m.exec(scraper.received())?.[1]).toBe('2');

    // The database answers: the waiting upgrades become sockets and leave the count.
    held.release();
    for (const client of waiting) expect(await client.answered(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 101 /);
    for (let i = 0; i < 3; i++) {
      const client = await connect();
      client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(await client.answered(/\r\n\r\n\{/)).toMatch(/^HTTP\/1\.1 200 /);
    }
  });

  it('an upgrade whose session lookup never answers is closed after HTTP_HEADERS_TIMEOUT_MS, and leaves the count', async () => {
    const held = await stalledServer({ maxHttpConnectionsPerAddress: 1, httpHeadersTimeoutMs: 400 });
    const { user, token } = await signIn('client1');
    held.hold();
    const client = await rawConnect(server!, { allowHalfOpen: true });
    clients.push(client);
    client.socket.write(UPGRADE(`/ws/user/${user.id}/`, token));
    await vi.waitFor(() => expect(held.waiting()).toBe(1), { timeout: 5000, interval: 20 });
    // The server's side goes, though the client keeps its own open.
    await vi.waitFor(async () => expect(await openConnections(server!)).toBe(0), { timeout: 5000, interval: 50 });
    expect(client.received()).toBe('');
    // The lookup answering late finds the connection gone; the address is served again.
    held.release();
    const next = await connect();
    next.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await next.answered(/\r\n\r\n\{/)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('a fault while an authorised upgrade becomes a socket closes it at once and leaves the count (it ended the process)', async () => {
    server = await startTestServer({ config: { limits: { maxHttpConnectionsPerAddress: 2, httpHeadersTimeoutMs: 60_000 } } });
    const { user, token } = await signIn('client1');
    // No request is known to make the socket's setup throw: a fault put into the hub stands in for a bug there or in ws.
    const { hub } = server.server.services;
    const socketCount = hub.socketCount.bind(hub);
    hub.socketCount = () => {
      throw new Error('a fault in the socket setup');
    };
    for (let i = 0; i < 3; i++) {
      const client = await connect();
      client.socket.write(UPGRADE(`/ws/user/${user.id}/`, token));
      // At once, not after HTTP_HEADERS_TIMEOUT_MS (ws has written its 101 before it hands the socket over).
      await client.closed;
    }
    hub.socketCount = socketCount;
    // Each left the address's count (cap 2): the address is served, and a socket opens.
    for (let i = 0; i < 2; i++) {
      const client = await connect();
      client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(await client.answered(/\r\n\r\n\{/)).toMatch(/^HTTP\/1\.1 200 /);
    }
    for (const client of clients.splice(0)) client.socket.destroy();
    await vi.waitFor(async () => expect(await openConnections(server!)).toBe(0), { timeout: 5000, interval: 20 });
    const { socket } = await TestSocket.connect(server.wsUrlFor(user.id), { token });
    socket.ws.close();
  });

  // The benchmark's connect storms (10,000 users) all come from 127.0.0.1.
  it('signed-in sockets do not count: 20 users connect from one address capped at 5, which still takes HTTP requests', async () => {
    server = await startTestServer({ seed: false, config: { limits: { maxHttpConnectionsPerAddress: 5 } } });
    const sockets: TestSocket[] = [];
    for (let i = 0; i < 20; i++) {
      await server.store.createUser({ username: `storm${i}`, displayName: `Storm ${i}`, role: 'client', passwordHash: 'x' });
      const { user, token } = await signIn(`storm${i}`);
      sockets.push((await TestSocket.connect(server.wsUrlFor(user.id), { token })).socket);
    }
    for (let i = 0; i < 5; i++) {
      const client = await connect();
      client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(await client.answered(/\r\n\r\n\{/)).toMatch(/^HTTP\/1\.1 200 /);
    }
    for (const socket of sockets) socket.ws.close();
  });
});
