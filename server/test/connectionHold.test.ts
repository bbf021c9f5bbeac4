/**
 * What one client can hold of a node's connections (each an open file; past the process's limit
 * the node accepts nobody): a refused socket upgrade is let go whether or not the client closes,
 * a request must come whole in time, a stalled one is cut, and one address holds at most
 * MAX_HTTP_CONNECTIONS_PER_ADDRESS.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { openConnections, rawConnect, readPaced, type RawClient } from './support/rawHttp.ts';
import { PDF } from './support/files.ts';
import { TestSocket } from './support/wsClient.ts';

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

/** Writes `text` a byte every 50 ms while the connection is open: far slower than any test's timeout. */
function dribble(client: RawClient, text: string): void {
  let i = 0;
  const timer = setInterval(() => {
    if (client.socket.destroyed || i >= text.length) clearInterval(timer);
    else client.socket.write(text[i++]!);
  }, 50);
  void client.closed.then(() => clearInterval(timer));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SLOW_HEADERS = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'a'.repeat(10_000)}\r\n\r\n`;

describe('slow clients (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { limits: { httpHeadersTimeoutMs: 400, httpRequestTimeoutMs: 3000 } } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a request whose headers come a byte at a time is answered 408 and closed', async () => {
    const client = await rawConnect(server);
    dribble(client, SLOW_HEADERS);
    expect(await client.answered(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 408 /);
    await client.closed;
  });

  it('a connection that sends nothing, or only blank lines after an answered request, is closed', async () => {
    const silent = await rawConnect(server);
    const blank = await rawConnect(server);
    blank.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await blank.answered(/\{"ok":true\}/)).toMatch(/^HTTP\/1\.1 200 /);
    // Node's own header timeout never counts blank lines between requests as a request begun.
    dribble(blank, '\r\n'.repeat(10_000));
    await Promise.all([silent.closed, blank.closed]);
    expect(blank.received()).toMatch(/HTTP\/1\.1 408 /);
  });

  it('a body that comes too slowly is answered 408 and closed', async () => {
    const client = await rawConnect(server);
    client.socket.write('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n');
    dribble(client, ' '.repeat(5000));
    expect(await client.answered(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 408 /);
    await client.closed;
  });

  it('a body that takes longer than the headers may is read to its end and answered', async () => {
    const client = await rawConnect(server);
    const body = JSON.stringify({ username: 'client1', password: 'demo' });
    client.socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    // Past the 400 ms the headers had, well within the request's 3 s.
    await pause(600);
    client.socket.write(body.slice(0, 10));
    await pause(300);
    client.socket.write(body.slice(10));
    expect(await client.answered(/\r\n\r\n\{/)).toMatch(/^HTTP\/1\.1 200 /);
    client.socket.destroy();
  });

  // Answered before its body was in (not signed in), the upload went on coming, Node reading and
  // dropping it: the headers timer, set again as the answer closed, wrote a 408 after the 401.
  it('an upload answered early is answered once, its connection serving the next request after its body', async () => {
    const client = await rawConnect(server);
    client.socket.write('POST /api/rooms/1/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 12000\r\n\r\n');
    expect(await client.answered(/\r\n\r\n\{.*UNAUTHORIZED.*\}/s)).toMatch(/^HTTP\/1\.1 401 /);
    // The rest over three times the headers' 400 ms, within the request's 3 s.
    for (let i = 0; i < 12; i++) {
      await pause(100);
      client.socket.write('x'.repeat(1000));
    }
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const text = await client.answered(/\{"ok":true\}/);
    expect(text.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 401', 'HTTP/1.1 200']);
    client.socket.destroy();
  });

  it('a socket stays open past both timeouts', async () => {
    const { user, token } = await server.login('client1');
    const { socket } = await TestSocket.connect(server.wsUrlFor(user.id), { token });
    await pause(3500);
    socket.send({ type: 'ping', ref: 'after' });
    expect((await socket.next('pong')).ref).toBe('after');
    socket.ws.close();
  });
});

describe('stalled connections (HTTP_IDLE_TIMEOUT_MS)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { limits: { httpIdleTimeoutMs: 500, httpRequestTimeoutMs: 60_000 } } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a body that stops coming midway is cut, long before the request timeout', async () => {
    const client = await rawConnect(server);
    client.socket.write('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":');
    await client.closed;
  });

  it('a socket with nothing to say stays open past it', async () => {
    const { user, token } = await server.login('client1');
    const { socket } = await TestSocket.connect(server.wsUrlFor(user.id), { token });
    await pause(1500);
    socket.send({ type: 'ping', ref: 'after' });
    expect((await socket.next('pong')).ref).toBe('after');
    socket.ws.close();
  });
});

/** Uploads a file larger than the kernel's buffers on both ends (the server's writes then wait on the reader); its URL. */
async function uploadLarge(server: TestServer, token: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PDF), new Uint8Array(9 * 1024 * 1024).fill(0x30)], { type: 'application/pdf' }), 'big.pdf');
  const upload = await fetch(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
  return ((await upload.json()) as { url: string }).url;
}

describe('an answer its client takes slowly or not at all (HTTP_HEADERS_TIMEOUT_MS per 16 KiB)', () => {
  let server: TestServer;
  let token: string;
  let url: string;
  beforeAll(async () => {
    // The idle timeout at its default: Node holds its timer back while a write to the socket is pending,
    // and a reader that takes a byte now and then keeps one pending, so the idle timeout alone cannot end it.
    server = await startTestServer({ config: { limits: { httpHeadersTimeoutMs: 1000, httpRequestTimeoutMs: 1000 } } });
    token = (await server.login('client1')).token;
    url = await uploadLarge(server, token);
  });
  afterAll(async () => {
    await server.close();
  });
  const download = async () => {
    const reader = await rawConnect(server);
    reader.socket.pause();
    reader.socket.write(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
    return reader;
  };

  // The whole answer had to be sent within HTTP_REQUEST_TIMEOUT_MS of the request: a 10 MiB file over
  // ~100 kbit/s never came whole, however steadily it was taken (attachments have no Range to resume).
  it('a download taken steadily but slowly comes whole, long past the request timeout', async () => {
    const reader = await download();
    // ~3 MB/s: 9 MiB takes seconds, past the 1 s request timeout, yet far above 16 KiB a second.
    readPaced(reader, 64 * 1024, 20);
    await reader.closed;
    const text = reader.received();
    const head = text.slice(0, text.indexOf('\r\n\r\n') + 4);
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    const length = Number(/\r\ncontent-length: (\d+)\r\n/i.exec(head)?.[1]);
    expect(length).toBeGreaterThan(9 * 1024 * 1024);
    expect(text.length - head.length).toBe(length);
  });

  // Signed in, one read a room's large file and never took it, or took a little now and then: its
  // connection and open file were held for good.
  it('a download its client stops reading, or takes a little now and then, is cut', async () => {
    const unread = await download();
    const trickled = await download();
    const stop = readPaced(trickled, 1024, 200);
    // The server's side is gone (what it sent may still sit in the kernel's buffers for the client to read).
    await vi.waitFor(async () => expect(await openConnections(server)).toBe(0), { timeout: 10_000, interval: 100 });
    stop();
    unread.socket.destroy();
    trickled.socket.destroy();
  });
});

describe('connections per client address (MAX_HTTP_CONNECTIONS_PER_ADDRESS)', () => {
  let server: TestServer | null = null;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await server?.close();
    server = null;
  });
  const connect = async (localAddress = '127.0.0.1') => {
    const client = await rawConnect(server!, { localAddress });
    clients.push(client);
    return client;
  };
  const health = async (client: RawClient) => {
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    return client.answered(/\r\n\r\n\{/);
  };

  it('one past the limit is answered 429 and closed; other addresses, and the address once one closed, are served', async () => {
    server = await startTestServer({ seed: false, config: { limits: { maxHttpConnectionsPerAddress: 3 } } });
    const held = [await connect(), await connect(), await connect()];
    const refused = await connect();
    expect(await refused.answered(/\r\n\r\n\{/)).toMatch(/^HTTP\/1\.1 429 .*RATE_LIMITED/s);
    await refused.closed;
    expect(await health(await connect('127.0.0.2'))).toMatch(/^HTTP\/1\.1 200 /);
    for (const client of held) expect(await health(client)).toMatch(/^HTTP\/1\.1 200 /);
    held[0]!.socket.destroy();
    await vi.waitFor(async () => expect(await health(await connect())).toMatch(/^HTTP\/1\.1 200 /), { timeout: 5000, interval: 50 });
  });

  // A refusal left no trace: an operator saw clients turned away by nothing but their complaints.
  it('counts each refused connection in /metrics and warns of the address once', async () => {
    const metricsToken = 'connection-cap-metrics-token-0123';
    const logged: { msg: string; address?: string; cap?: number }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    server = await startTestServer({ seed: false, logger, config: { metricsToken, limits: { maxHttpConnectionsPerAddress: 2 } } });
    const refused = async () => {
      // From another address: this one is at its cap.
      const scraper = await connect('127.0.0.2');
      scraper.socket.write(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${metricsToken}\r\nConnection: close\r\n\r\n`);
      await scraper.closed;
      return Number(/^ecc_http_connections_refused_total (\d+)$/m.exec(scraper.received())?.[1]);
    };
    await connect();
    await connect();
    expect(await refused()).toBe(0);
    for (let i = 0; i < 3; i++) await (await connect()).closed;
    expect(await refused()).toBe(3);
    expect(logged.filter((line) => line.cap === 2).map(({ address, cap }) => ({ address, cap }))).toEqual([{ address: '127.0.0.1', cap: 2 }]);
  });

  it('a socket leaves the count once upgraded (MAX_SOCKETS_PER_USER bounds those)', async () => {
    server = await startTestServer({ config: { limits: { maxHttpConnectionsPerAddress: 3 } } });
    const { user, token } = await server.login('client1');
    const sockets = [];
    for (let i = 0; i < 4; i++) sockets.push((await TestSocket.connect(server.wsUrlFor(user.id), { token })).socket);
    for (const client of [await connect(), await connect()]) expect(await health(client)).toMatch(/^HTTP\/1\.1 200 /);
    for (const socket of sockets) socket.ws.close();
  });

  it('is not applied behind a proxy (TRUST_PROXY), where every connection comes from the proxy', async () => {
    server = await startTestServer({ seed: false, config: { trustProxy: true, limits: { maxHttpConnectionsPerAddress: 2 } } });
    const all = await Promise.all([connect(), connect(), connect(), connect()]);
    for (const client of all) expect(await health(client)).toMatch(/^HTTP\/1\.1 200 /);
  });
});
