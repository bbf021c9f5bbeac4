/** The WebSocket upgrade's checks, socket limits, frame size and bad input. */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { cid, connectAs, openTab, serverForSuite } from './support/chat.ts';
import { TestSocket, upgradeStatus } from './support/wsClient.ts';

describe('socket upgrade and frames', () => {
  const server = serverForSuite({ config: { allowedOrigins: ['https://app.example'] } });

  it('401 without credentials or with a bad token, 403 for another user’s path', async () => {
    const { user, token } = await server.login('client1');
    expect(await upgradeStatus(server.wsUrlFor(user.id))).toBe(401);
    expect(await upgradeStatus(server.wsUrlFor(user.id), { token: 'bogus' })).toBe(401);
    expect(await upgradeStatus(server.wsUrlFor(user.id + 1), { token })).toBe(403);
  });

  it('any user id segment that is not the signed-in user is 401 without credentials, else 403; other paths 404', async () => {
    const { user, token } = await server.login('client1');
    for (const id of ['abc', '0', `0${user.id}`, '99999999999999999999']) {
      expect(await upgradeStatus(`${server.wsUrl}/ws/user/${id}/`)).toBe(401);
      expect(await upgradeStatus(`${server.wsUrl}/ws/user/${id}/`, { token })).toBe(403);
    }
    expect(await upgradeStatus(`${server.wsUrl}/ws/user/${user.id}/extra`, { token })).toBe(404);
    expect(await upgradeStatus(`${server.wsUrl}/ws/other/`, { token })).toBe(404);
  });

  it('a plain HTTP request to a socket path is answered as its upgrade: 401, 403, and 400 (no upgrade) for the user’s own', async () => {
    const { user, token, cookie } = await server.login('client1');
    const plain = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${server.url}${path}`, { headers });
      const body = (await res.json()) as { error: { code: string } };
      return `${res.status} ${body.error.code}`;
    };
    const own = `/ws/user/${user.id}/`;
    expect(await plain(own)).toBe('401 UNAUTHORIZED');
    expect(await plain(own, { Authorization: 'Bearer bogus' })).toBe('401 UNAUTHORIZED');
    expect(await plain(`/ws/user/${user.id + 1}/`, { Authorization: `Bearer ${token}` })).toBe('403 FORBIDDEN');
    expect(await plain(own, { Cookie: cookie, Origin: 'https://evil.example' })).toBe('403 FORBIDDEN');
    expect(await plain(own, { Authorization: `Bearer ${token}` })).toBe('400 BAD_REQUEST');
    expect(await plain(`/ws/user/${user.id}`, { Cookie: cookie })).toBe('400 BAD_REQUEST');
    expect(await plain(`${own}extra`, { Authorization: `Bearer ${token}` })).toBe('404 NOT_FOUND');
  });

  it('accepts the path with or without the trailing slash', async () => {
    const { user, token } = await server.login('client1');
    const a = await TestSocket.connect(`${server.wsUrl}/ws/user/${user.id}`, { token });
    const b = await TestSocket.connect(`${server.wsUrl}/ws/user/${user.id}/`, { token });
    a.socket.close();
    b.socket.close();
  });

  it('cookie upgrades from a foreign Origin are refused; Bearer upgrades skip the check', async () => {
    const { user, token, cookie } = await server.login('client1');
    const url = server.wsUrlFor(user.id);
    expect(await upgradeStatus(url, { cookie, origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { cookie, origin: 'null' })).toBe(403);
    expect(await upgradeStatus(url, { cookie, origin: 'http://localhost:1' })).toBe(403);
    // Without Origin the client is not a browser page: nothing to forge.
    const plain = await TestSocket.connect(url, { cookie });
    plain.socket.close();
    const same = await TestSocket.connect(url, { cookie, origin: server.url });
    const listed = await TestSocket.connect(url, { cookie, origin: 'https://app.example' });
    const bearer = await TestSocket.connect(url, { token, origin: 'https://evil.example' });
    expect(same.ready.user.id).toBe(user.id);
    for (const s of [same, listed, bearer]) s.socket.close();
  });

  it('the 11th socket of a user is closed with 4429', async () => {
    const alice = await connectAs(server, 'client2');
    const tabs = [alice.socket];
    for (let i = 0; i < 9; i++) tabs.push((await openTab(server, alice)).socket);
    const eleventh = await TestSocket.open(server.wsUrlFor(alice.user.id), { token: alice.token });
    expect((await eleventh.closed).code).toBe(CloseCode.TOO_MANY_SOCKETS);
    await tabs[0]!.sync();
    for (const t of tabs) t.close();
  });

  it('binary frames and malformed frames get BAD_REQUEST and the socket keeps working', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    alice.socket.ws.send(Buffer.from([1, 2, 3]));
    expect((await alice.socket.next('error')).code).toBe('BAD_REQUEST');
    for (const text of ['{oops', '[]', '"str"', '{"type":"explode"}', '{"ref":"x"}', '{"type":"send","roomId":"1","clientId":"a","content":"x"}']) {
      alice.socket.ws.send(text);
      expect((await alice.socket.next('error')).code).toBe('BAD_REQUEST');
    }
    expect(await alice.socket.expectError({ type: 'read', roomId })).toBe('BAD_REQUEST');
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'still here' });
    expect(ack.message.content).toBe('still here');
    alice.socket.close();
  });

  it('a text frame that is not UTF-8 gets BAD_REQUEST and the socket stays open', async () => {
    const alice = await connectAs(server, 'client1');
    // {"\xff\xfe"}: a text frame whose bytes are not UTF-8 (ws alone would close the socket with 1007).
    alice.socket.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false });
    const error = await alice.socket.next('error');
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/UTF-8/);
    const content = 'naïve café ✓ 👋';
    const ack = await alice.socket.expect('ack', { type: 'send', roomId: server.demo!.roomId, clientId: cid(), content });
    expect(ack.message.content).toBe(content);
    alice.socket.close();
  });

  it('a binary or non-UTF-8 frame is answered BAD_REQUEST with the ref that can be read from it, never served', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    const before = (await alice.socket.expect('history', { type: 'history', roomId, limit: 1 })).messages[0]!.seq;
    // A well-formed frame sent as binary: refused (the contract takes text frames only), with its ref.
    alice.socket.ws.send(Buffer.from(JSON.stringify({ type: 'send', ref: 'bin-1', roomId, clientId: cid(), content: 'as binary' })), { binary: true });
    expect(await alice.socket.next('error')).toMatchObject({ ref: 'bin-1', code: 'BAD_REQUEST' });
    // A text frame whose content holds a byte that is not UTF-8: its ref is still readable.
    const head = Buffer.from(`{"type":"send","ref":"utf8-1","roomId":${roomId},"clientId":"${cid()}","content":"caf`);
    alice.socket.ws.send(Buffer.concat([head, Buffer.from([0xe9]), Buffer.from('"}')]), { binary: false });
    const error = await alice.socket.next('error');
    expect(error).toMatchObject({ ref: 'utf8-1', code: 'BAD_REQUEST' });
    expect(error.message).toMatch(/UTF-8/);
    // A ref that itself is not UTF-8 is no ref the client sent: the error carries none.
    alice.socket.ws.send(Buffer.concat([Buffer.from('{"type":"ping","ref":"r'), Buffer.from([0xff]), Buffer.from('"}')]), { binary: false });
    const refless = await alice.socket.next('error');
    expect(refless.code).toBe('BAD_REQUEST');
    expect(refless).not.toHaveProperty('ref');
    await alice.socket.sync();
    expect((await alice.socket.expect('history', { type: 'history', roomId, limit: 1 })).messages[0]!.seq).toBe(before);
    alice.socket.close();
  });

  it('a flood of bad input leaves the socket and other users working and stores nothing', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const before = (await bob.socket.expect('history', { type: 'history', roomId, limit: 1 })).messages[0]!.seq;
    for (let i = 0; i < 200; i++) {
      alice.socket.ws.send(i % 2 ? '{"type":"send"}' : `{"type":"send","roomId":${roomId},"clientId":"","content":"x"}`);
    }
    await alice.socket.sync();
    expect(alice.socket.all('error').filter((e) => e.code === 'BAD_REQUEST')).toHaveLength(200);
    const ack = await bob.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'unaffected' });
    expect(ack.message.seq).toBe(before + 1);
    await alice.socket.next('message', (f) => f.message.id === ack.message.id);
    alice.socket.close();
    bob.socket.close();
  });

  it('a frame over 64 KiB closes the socket with 1009', async () => {
    const alice = await connectAs(server, 'client1');
    alice.socket.send({ type: 'send', roomId: server.demo!.roomId, clientId: cid(), content: 'x'.repeat(70 * 1024) });
    expect((await alice.socket.closed).code).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('ping frames are answered with pong carrying the ref', async () => {
    const alice = await connectAs(server, 'client1');
    const pong = await alice.socket.expect('pong', { type: 'ping' });
    expect(pong.ref).toMatch(/^r\d+$/);
    alice.socket.close();
  });

  it('CORS with credentials only for listed origins', async () => {
    const preflight = await fetch(`${server.url}/api/jobs`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const foreign = await fetch(`${server.url}/api/me`, { headers: { Origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
