/**
 * A request the HTTP parser cannot read gets an answer that says why, as Node's own server gives
 * one, not a reset connection: a browser whose cookies grew past the header limit shows
 * "431 Request Header Fields Too Large" instead of a bare "connection reset", and a proxy or a
 * client library reports a 400 it can act on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { rawConnect } from './support/rawHttp.ts';

describe('a request the server cannot parse', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** Writes `raw` on a new connection; resolves with all the server wrote before it closed. */
  async function exchange(raw: string): Promise<string> {
    const client = await rawConnect(server);
    client.socket.write(raw);
    await client.closed;
    return client.received();
  }

  it('with headers past the limit is answered 431', async () => {
    const answer = await exchange(`GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('that is not HTTP is answered 400', async () => {
    expect(await exchange('HELLO THERE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('with both Content-Length and Transfer-Encoding (request smuggling) is answered 400', async () => {
    const answer = await exchange('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('leaves the server answering others', async () => {
    await exchange('HELLO THERE\r\n\r\n');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
