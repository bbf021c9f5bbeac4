/**
 * Over TLS the session cookie carries the `__Host-` prefix: browsers keep such a
 * cookie only if our exact origin set it (Secure, Path=/, no Domain), so a sibling
 * subdomain or a plain-http attacker cannot plant one and sign the victim into
 * the attacker's account (login fixation).
 */
import { describe, expect, it } from 'vitest';
import { CloseCode, SESSION_COOKIE } from '@ecc/protocol';
import { serverForSuite } from './support/chat.ts';
import { TestSocket, upgradeStatus } from './support/wsClient.ts';

const HOST_COOKIE = `__Host-${SESSION_COOKIE}`;

describe('the __Host- session cookie over TLS (TRUST_PROXY=1)', () => {
  const server = serverForSuite({ config: { trustProxy: true } });
  const overTls = { 'X-Forwarded-Proto': 'https' };
  const httpsOrigin = () => `https://127.0.0.1:${server.port}`;

  async function login(username: string, headers: Record<string, string>) {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { id: number }; token: string };
    return { user: body.user, token: body.token, setCookies: res.headers.getSetCookie() };
  }

  const me = (cookie: string, headers: Record<string, string> = overTls) =>
    fetch(`${server.url}/api/me`, { headers: { ...headers, Cookie: cookie } }).then(async (r) =>
      r.status === 200 ? ((await r.json()) as { user: { username: string } }).user.username : r.status,
    );

  it('login over TLS sets __Host-… Secure, Path=/, no Domain; it authenticates HTTP and the socket', async () => {
    const { user, token, setCookies } = await login('client1', overTls);
    expect(setCookies).toHaveLength(1);
    const [set] = setCookies as [string];
    expect(set.startsWith(`${HOST_COOKIE}=${token};`)).toBe(true);
    expect(set).toMatch(/; Secure(;|$)/);
    expect(set).toMatch(/; Path=\/(;|$)/);
    expect(set).toMatch(/; HttpOnly(;|$)/);
    expect(set).toMatch(/; SameSite=Lax(;|$)/);
    expect(set).not.toMatch(/Domain=/i);

    const cookie = `${HOST_COOKIE}=${token}`;
    expect(await me(cookie)).toBe('client1');
    const socket = await TestSocket.connect(server.wsUrlFor(user.id), { cookie, origin: httpsOrigin(), headers: overTls });
    expect(socket.ready.user.id).toBe(user.id);
    socket.socket.close();
  });

  it('over plain http the cookie keeps its plain name (no prefix, no Secure) and works', async () => {
    const { token, setCookies } = await login('client1', {});
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]?.startsWith(`${SESSION_COOKIE}=${token};`)).toBe(true);
    expect(setCookies[0]).not.toMatch(/Secure/);
    expect(await me(`${SESSION_COOKIE}=${token}`, {})).toBe('client1');
  });

  it('on a TLS request a planted plain-named cookie never wins over, nor stands in for, the __Host- one', async () => {
    const victim = await login('client1', overTls);
    const attacker = await login('client2', overTls);
    // A cookie planted with Domain=<parent> comes first (or last): the pinned one decides either way.
    expect(await me(`${SESSION_COOKIE}=${attacker.token}; ${HOST_COOKIE}=${victim.token}`)).toBe('client1');
    expect(await me(`${HOST_COOKIE}=${victim.token}; ${SESSION_COOKIE}=${attacker.token}`)).toBe('client1');
    // Alone (a signed-out victim), the plain name is refused over TLS, even for a live session:
    // accepting it would leave the fixation open to everyone without a __Host- cookie.
    expect(await me(`${SESSION_COOKIE}=${attacker.token}`)).toBe(401);
    const status = await upgradeStatus(server.wsUrlFor(attacker.user.id), {
      cookie: `${SESSION_COOKIE}=${attacker.token}`,
      origin: httpsOrigin(),
      headers: overTls,
    });
    expect(status).toBe(401);
    // The session itself is intact: its token still works as a Bearer token.
    const bearer = await fetch(`${server.url}/api/me`, { headers: { ...overTls, Authorization: `Bearer ${attacker.token}` } });
    expect(bearer.status).toBe(200);
  });

  it('logout over TLS ends the session and clears both names; over http only the plain one', async () => {
    const { token } = await login('client1', overTls);
    const cookie = `${HOST_COOKIE}=${token}`;
    const res = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { ...overTls, Cookie: cookie, Origin: httpsOrigin() },
    });
    expect(res.status).toBe(200);
    const cleared = res.headers.getSetCookie();
    expect(cleared).toHaveLength(2);
    const byName = new Map(cleared.map((c) => [c.slice(0, c.indexOf('=')), c]));
    for (const name of [HOST_COOKIE, SESSION_COOKIE]) {
      const set = byName.get(name) ?? '';
      expect(set.startsWith(`${name}=;`)).toBe(true);
      expect(set).toMatch(/; Max-Age=0(;|$)/);
      expect(set).toMatch(/; Path=\/(;|$)/);
      expect(set).toMatch(/; Secure(;|$)/);
    }
    expect(await me(cookie)).toBe(401);

    const plain = await fetch(`${server.url}/api/auth/logout`, { method: 'POST' });
    expect(plain.headers.getSetCookie()).toEqual([expect.stringMatching(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`))]);
  });

  const bearerStatus = (token: string) =>
    fetch(`${server.url}/api/me`, { headers: { ...overTls, Authorization: `Bearer ${token}` } }).then((r) => r.status);

  it('logout over TLS also ends the session of a plain-named cookie (one from before the prefix), closing its sockets with 4401', async () => {
    // The plain cookie signs nobody in over TLS, but the logout clears it: its session must not outlive that.
    const old = await login('client1', overTls);
    const { socket } = await TestSocket.connect(server.wsUrlFor(old.user.id), { token: old.token, origin: httpsOrigin(), headers: overTls });
    const res = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { ...overTls, Cookie: `${SESSION_COOKIE}=${old.token}`, Origin: httpsOrigin() },
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toHaveLength(2);
    expect(await bearerStatus(old.token)).toBe(401);
    expect((await socket.closed).code).toBe(CloseCode.SESSION_ENDED);

    // Beside a __Host- cookie of another session: both end (the answer clears both cookies).
    const current = await login('client1', overTls);
    const older = await login('client1', overTls);
    const both = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { ...overTls, Cookie: `${HOST_COOKIE}=${current.token}; ${SESSION_COOKIE}=${older.token}`, Origin: httpsOrigin() },
    });
    expect(both.status).toBe(200);
    expect(await bearerStatus(current.token)).toBe(401);
    expect(await bearerStatus(older.token)).toBe(401);
  });

  it('a logout by plain-named cookie over TLS keeps the Origin check: a foreign page is refused and the session lives on', async () => {
    const { token } = await login('client1', overTls);
    const res = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { ...overTls, Cookie: `${SESSION_COOKIE}=${token}`, Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await bearerStatus(token)).toBe(200);
  });
});
