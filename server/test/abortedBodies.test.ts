/**
 * A client that goes away in the middle of its request body (a phone losing its network, or anyone
 * at all, signed in or not) is no failure of the server: it must not be logged as one (an error
 * with its stack trace, "request failed"), or anyone could fill the error log and wake whoever
 * watches it.
 */
import net from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing.ts';

describe('a request body cut off by its client', () => {
  const logged: { level: number; msg: string }[] = [];
  let server: TestServer;
  let token = '';
  beforeAll(async () => {
    server = await startTestServer({ logger: pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) }) });
    ({ token } = await server.login('client1'));
  });
  afterAll(async () => {
    await server.close();
  });

  /** Sends the head and part of the body of a POST, then closes the connection; resolves once the server saw it close. */
  async function cutOff(path: string, headers: string): Promise<void> {
    const { httpServer } = server.server;
    const closedHere = new Promise<void>((resolve) => httpServer.once('connection', (socket) => socket.once('close', () => resolve())));
    const received = new Promise((resolve) => httpServer.once('request', resolve));
    const client = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    client.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n${headers}\r\n{"title":`);
    // Once the server handles the request (its answer cannot come before the rest of the body).
    await received;
    client.destroy();
    await closedHere;
  }

  it('is not logged as a server failure (sign-in, sign-out, an authenticated JSON route)', async () => {
    await cutOff('/api/auth/login', '');
    await cutOff('/api/auth/logout', '');
    await cutOff('/api/jobs', `Authorization: Bearer ${token}\r\n`);
    // A whole request answered after them: the cut-off ones were handled (and would have logged) before.
    const after = await fetch(`${server.url}/api/jobs`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"title":"After"}' });
    expect(after.status).toBe(200);
    expect(logged.filter((entry) => entry.level >= 50)).toEqual([]);
  });
});
