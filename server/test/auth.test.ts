/** Sign-in, sessions, throttling, CSRF and logout closing sockets. */
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../src/testing.ts';
import type { Store } from '../src/storage/store.ts';
import { createTestStore } from './support/databases.ts';
import { TestSocket } from './support/wsClient.ts';
import { CloseCode, SESSION_COOKIE } from '@ecc/protocol';
import { api, connectAs, openTab, serverForSuite } from './support/chat.ts';

describe('auth', () => {
  const server = serverForSuite({ config: { limits: { loginMaxFailures: 3, loginMaxFailuresPerIp: 100 } } });

  it('login returns the user and a token and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'client1', password: 'demo' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: Record<string, unknown>; token: string };
    expect(body.user).toEqual({ id: expect.any(Number), username: 'client1', displayName: 'Alice Client', role: 'client' });
    expect(body.token.length).toBeGreaterThanOrEqual(32);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toContain(`${SESSION_COOKIE}=`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(JSON.stringify(body)).not.toContain('password');
  });

  it('wrong password and unknown user get the same 401 INVALID_CREDENTIALS', async () => {
    const wrong = await api(server, null, 'POST', '/api/auth/login', { username: 'cleaner2', password: 'nope' });
    const unknown = await api(server, null, 'POST', '/api/auth/login', { username: 'nobody-here', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error?.code).toBe('INVALID_CREDENTIALS');
    const empty = await api(server, null, 'POST', '/api/auth/login', { username: 'cleaner2', password: '' });
    expect(empty.status).toBe(401);
    expect(empty.body).toEqual(wrong.body);
  });

  it('bad bodies are BAD_REQUEST', async () => {
    expect((await api(server, null, 'POST', '/api/auth/login', { username: 'x' })).body.error?.code).toBe('BAD_REQUEST');
    const notJson = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
  });

  it('throttles repeated failures for a username from one address with 429 and Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await api(server, null, 'POST', '/api/auth/login', { username: 'support1', password: `guess${i}` })).status).toBe(401);
    }
    const blocked = await api(server, null, 'POST', '/api/auth/login', { username: 'support1', password: 'demo' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other users are not affected.
    expect((await api(server, null, 'POST', '/api/auth/login', { username: 'client2', password: 'demo' })).status).toBe(200);
  });

  it('lets no more guesses through when they arrive all at once than one after another', async () => {
    // Checking a password takes a while: counting an attempt only once it failed let every guess sent in that time through.
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => api(server, null, 'POST', '/api/auth/login', { username: 'parallel-guesser', password: `parallel${i}` })),
    );
    const statuses = guesses.map((g) => g.status).sort();
    expect(statuses).toEqual([...Array(3).fill(401), ...Array(9).fill(429)]);
  });

  it('GET /api/me works with Bearer and with the cookie, 401 without', async () => {
    const { token, cookie, user } = await server.login('cleaner1');
    expect((await api(server, token, 'GET', '/api/me')).body).toEqual({ user });
    const viaCookie = await fetch(`${server.url}/api/me`, { headers: { Cookie: cookie } });
    expect(await viaCookie.json()).toEqual({ user });
    const none = await api(server, null, 'GET', '/api/me');
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBe('UNAUTHORIZED');
    expect((await api(server, 'not-a-token', 'GET', '/api/me')).status).toBe(401);
  });

  it('a cookie-authenticated state change from a foreign or opaque Origin is refused (CSRF); same origin passes', async () => {
    const { cookie } = await server.login('client1');
    const post = (origin?: string) =>
      fetch(`${server.url}/api/jobs`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) },
        body: JSON.stringify({ title: 'Oven clean' }),
      });
    expect((await post('https://evil.example')).status).toBe(403);
    expect((await post('null')).status).toBe(403);
    expect((await post(server.url)).status).toBe(200);
    // No Origin at all: not a browser page (browsers always send it on POST), so no CSRF risk.
    expect((await post()).status).toBe(200);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ username: 'client1', password: 'demo' }),
    });
    expect(login.status).toBe(403);
  });

  it('logout ends the session: the token stops working and its sockets close with 4401; other sessions live on', async () => {
    const alice = await connectAs(server, 'client1');
    const tab = await openTab(server, alice);
    const other = await connectAs(server, 'client1');
    const res = await api(server, alice.token, 'POST', '/api/auth/logout');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await alice.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
    expect((await tab.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
    expect((await api(server, alice.token, 'GET', '/api/me')).status).toBe(401);
    await other.socket.sync();
    expect((await api(server, other.token, 'GET', '/api/me')).status).toBe(200);
    other.socket.close();
  });

  it("logout tells the browser to drop its HTTP cache (a shared computer: the user's photos must not stay there)", async () => {
    const alice = await connectAs(server, 'client1');
    alice.socket.close();
    const res = await api(server, alice.token, 'POST', '/api/auth/logout');
    expect(res.status).toBe(200);
    expect(res.headers.get('clear-site-data')).toBe('"cache"');
  });
});

describe('logout while a socket is being opened', () => {
  it('a socket whose session ended between the upgrade check and joining is closed with 4401, never ready', async () => {
    const { store, cleanup } = await createTestStore('sqlite');
    // The next session lookup (the upgrade's) answers late, as a slow database would:
    // the logout lands after the upgrade found the session and before the socket joined.
    let holdNext = false;
    const slowStore = Object.assign(Object.create(store) as Store, {
      findSession: async (tokenHash: string) => {
        const hold = holdNext;
        holdNext = false;
        const found = await store.findSession(tokenHash);
        if (hold) await new Promise((resolve) => setTimeout(resolve, 300));
        return found;
      },
    });
    const server = await startTestServer({ store: slowStore });
    try {
      const { user, token } = await server.login('client1');
      holdNext = true;
      const opening = TestSocket.open(server.wsUrlFor(user.id), { token });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await api(server, token, 'POST', '/api/auth/logout')).status).toBe(200);
      const socket = await opening;
      expect((await socket.closed).code).toBe(CloseCode.SESSION_ENDED);
      expect(socket.frames.map((f) => f.type)).not.toContain('ready');
    } finally {
      await server.close();
      await cleanup();
    }
  });
});

describe('sign-in throttling per address behind the load balancer (TRUST_PROXY=1)', () => {
  const server = serverForSuite({ config: { trustProxy: true, limits: { loginMaxFailures: 100, loginMaxFailuresPerIp: 3 } } });

  /** A failed sign-in as it reaches the node through nginx: the client's own X-Forwarded-For, then the address nginx saw. */
  const guess = (clientClaims: string, seenByProxy: string) =>
    fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `${clientClaims}, ${seenByProxy}` },
      body: JSON.stringify({ username: 'client2', password: 'guess' }),
    });

  it('counts the address the proxy saw, so a client cannot dodge the limit by naming other addresses', async () => {
    for (let i = 0; i < 3; i++) expect((await guess(`10.0.0.${i}`, '203.0.113.7')).status).toBe(401);
    expect((await guess('10.0.0.99', '203.0.113.7')).status).toBe(429);
    // Someone else behind the same proxy is not blocked.
    expect((await guess('10.0.0.1', '198.51.100.4')).status).toBe(401);
  });
});

describe('sign-in throttling keeps the guesser out, not the account’s owner (TRUST_PROXY=1)', () => {
  const server = serverForSuite({
    config: { trustProxy: true, limits: { loginMaxFailures: 3, loginMaxFailuresPerIp: 5, loginMaxAttemptsPerIp: 6, loginMaxFailuresPerUser: 4 } },
  });

  /** A sign-in from `address`, as nginx forwards it. */
  const signIn = async (address: string, username: string, password: string) => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
      body: JSON.stringify({ username, password }),
    });
    const body = (await res.json()) as { error?: { code: string } };
    return { status: res.status, code: body.error?.code, retryAfter: Number(res.headers.get('retry-after')) };
  };

  it('a counterpart guessing a cleaner’s password locks out only their own address; the cleaner signs in from theirs', async () => {
    const attacker = '203.0.113.66';
    for (let i = 0; i < 3; i++) expect((await signIn(attacker, 'cleaner1', `guess${i}`)).status).toBe(401);
    const refused = await signIn(attacker, 'cleaner1', 'demo');
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect((await signIn('198.51.100.7', 'cleaner1', 'demo')).status).toBe(200);
    // The guesser is still refused, whatever the owner did meanwhile.
    expect((await signIn(attacker, 'cleaner1', 'guess9')).status).toBe(429);
  });

  it('guesses spread over many addresses slow the account down, but its owner still signs in from where they did before', async () => {
    const home = '192.0.2.44';
    expect((await signIn(home, 'support1', 'demo')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(`203.0.113.${100 + i}`, 'support1', 'guess')).status).toBe(401);
    // The username's total is used up: a new address waits, even with the right password …
    expect(await signIn('203.0.113.120', 'support1', 'demo')).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // … but the owner at home is not locked out.
    expect((await signIn(home, 'support1', 'demo')).status).toBe(200);
  });

  it('refuses an address spraying passwords over many usernames, and only that address', async () => {
    const sprayer = '203.0.113.77';
    for (const name of ['client1', 'client2', 'cleaner2', 'nobody', 'no-one']) {
      expect((await signIn(sprayer, name, 'Winter2026!')).status).toBe(401);
    }
    expect(await signIn(sprayer, 'someone-else', 'Winter2026!')).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((await signIn('198.51.100.8', 'someone-else', 'Winter2026!')).status).toBe(401);
  });

  it('bounds the sign-ins one address may make, successful ones included (each costs a password check and a session)', async () => {
    const busy = '203.0.113.88';
    for (let i = 0; i < 6; i++) expect((await signIn(busy, 'client2', 'demo')).status).toBe(200);
    expect(await signIn(busy, 'client2', 'demo')).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((await signIn('198.51.100.9', 'client2', 'demo')).status).toBe(200);
  });
});
