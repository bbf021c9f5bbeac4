/** Server pings: a peer that stops answering is terminated; one that answers stays. */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '@ecc/protocol';
import { serverForSuite } from './support/chat.ts';

describe('keep-alive', () => {
  const server = serverForSuite({ config: { limits: { serverPingMs: 100 } } });

  it('terminates a socket whose pongs stop, keeps one that answers', async () => {
    const { user, token } = await server.login('client1');
    let pings = 0;
    const open = (autoPong: boolean) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(server.wsUrlFor(user.id), { headers: { Authorization: `Bearer ${token}` }, autoPong });
        // Counted from the start: a ping can arrive in the same read as `ready`, before the caller resumes.
        if (!autoPong) ws.on('ping', () => pings++);
        ws.once('message', () => resolve(ws));
        ws.once('error', reject);
      });
    const healthy = await open(true);
    const silent = await open(false);
    const code = await new Promise<number>((resolve) => silent.once('close', (c) => resolve(c)));
    expect(code).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    expect(server.server.socketCount()).toBe(1);
    healthy.close();
  });
});

describe('session expiry', () => {
  const server = serverForSuite({ config: { sessionTtlMs: 3000, limits: { serverPingMs: 100 } } });

  it('closes a socket with 4401 once its session has expired', async () => {
    const { user, token } = await server.login('cleaner1');
    const started = Date.now();
    const ws = new WebSocket(server.wsUrlFor(user.id), { headers: { Authorization: `Bearer ${token}` } });
    const code = await new Promise<number>((resolve, reject) => {
      ws.once('close', (c) => resolve(c));
      ws.once('error', reject);
    });
    expect(code).toBe(CloseCode.SESSION_ENDED);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });
});
