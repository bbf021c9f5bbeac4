/**
 * Behind TLS, "same origin" includes the scheme: a page on http:// of our own
 * host (which a network attacker can answer for) is a foreign origin for
 * cookie-authenticated state changes, sign-ins and sockets.
 */
import { describe, expect, it } from 'vitest';
import { HOST_SESSION_COOKIE } from '../src/http/cookies.ts';
import { serverForSuite } from './support/chat.ts';
import { TestSocket, upgradeStatus } from './support/wsClient.ts';

describe('Origin checks behind a TLS-terminating proxy (TRUST_PROXY=1)', () => {
  const server = serverForSuite({ config: { trustProxy: true } });
  const host = () => `127.0.0.1:${server.port}`;
  const overTls = { 'X-Forwarded-Proto': 'https' };
  // What a browser on https holds: the session cookie as it is named over TLS.
  const tlsCookie = async (username: string) => {
    const { user, token } = await server.login(username);
    return { user, cookie: `${HOST_SESSION_COOKIE}=${token}` };
  };

  it('a cookie-authenticated change or a sign-in from http:// of our host is refused; from https:// it passes', async () => {
    const { cookie } = await tlsCookie('client1');
    const post = (origin: string) =>
      fetch(`${server.url}/api/jobs`, {
        method: 'POST',
        headers: { ...overTls, Cookie: cookie, 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ title: 'Window clean' }),
      }).then((r) => r.status);
    expect(await post(`http://${host()}`)).toBe(403);
    expect(await post(`https://${host()}`)).toBe(200);
    const signIn = (origin: string) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { ...overTls, 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ username: 'client2', password: 'demo' }),
      }).then((r) => r.status);
    expect(await signIn(`http://${host()}`)).toBe(403);
    expect(await signIn(`https://${host()}`)).toBe(200);
  });

  it('a cookie socket opened by a page on http:// of our host is refused; by https:// it opens', async () => {
    const { user, cookie } = await tlsCookie('client1');
    const url = server.wsUrlFor(user.id);
    expect(await upgradeStatus(url, { cookie, origin: `http://${host()}`, headers: overTls })).toBe(403);
    const same = await TestSocket.connect(url, { cookie, origin: `https://${host()}`, headers: overTls });
    expect(same.ready.user.id).toBe(user.id);
    same.socket.close();
  });

  it('without TLS (or a proxy saying so) the scheme is unknown, and either passes', async () => {
    // TLS ended in front of a proxy that does not pass the protocol on: the browser's https:// page must still work.
    const { cookie } = await server.login('client1');
    for (const origin of [`http://${host()}`, `https://${host()}`]) {
      const res = await fetch(`${server.url}/api/support`, { method: 'POST', headers: { Cookie: cookie, Origin: origin } });
      expect(res.status).toBe(200);
    }
  });
});
