/**
 * Clauses of the wire contract (/work/shared/protocol.md) that the other suites left unprobed or
 * probed only in part, checked as an outside suite written against that text alone would: `ready`'s
 * snapshot, the default and largest history pages, who may accept and move a job, `clientId` per
 * sender, credentials on every route, and how attachments come back.
 */
import { describe, expect, it } from 'vitest';
import type { Attachment, Job, Room } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs, openTab, serverForSuite } from './support/chat.ts';
import { PDF, PNG } from './support/files.ts';
import { upgradeStatus } from './support/wsClient.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

for (const dialect of DIALECTS) describe(`wire contract audit (${dialect})`, () => {
  const server = serverForSuite({ dialect, config: { limits: { sendRateLimit: 1000 } } });

  /** A new job of client2 accepted by cleaner2; its room, as client2's socket is told of it. */
  async function acceptedJob() {
    const carol = await connectAs(server, 'client2');
    const dan = await server.login('cleaner2');
    const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: `Audit ${cid()}` })).body.job as Job;
    const accepted = await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
    expect(accepted.status).toBe(200);
    const room = (await carol.socket.next('room', (f) => f.room.job?.id === job.id)).room;
    return { carol, dan, job: accepted.body.job as Job, room };
  }

  async function upload(auth: Record<string, string>, roomId: number, bytes: Buffer, name: string, type: string) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    const res = await fetch(`${server.url}/api/rooms/${roomId}/attachments`, { method: 'POST', headers: auth, body: form });
    return { status: res.status, body: (await res.json()) as Attachment & { error?: { code: string } } };
  }

  it('ready: the user as /api/me has it, the server’s time, rooms by latest activity, each participant’s read mark and presence', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    expect(bob.ready.user).toEqual((await api(server, bob.token, 'GET', '/api/me')).body.user);
    expect(bob.ready.serverTime).toMatch(ISO);
    expect(Math.abs(Date.parse(bob.ready.serverTime) - Date.now())).toBeLessThan(5000);

    // The seed left Bob's mark at 3 of 5; he reads to the end, and a new tab of Alice's lists it.
    const participants = (rooms: Room[]) => rooms.find((r) => r.id === roomId)!.participants;
    expect(participants(bob.ready.rooms).find((p) => p.id === bob.user.id)?.lastReadSeq).toBe(3);
    await bob.socket.expect('unread', { type: 'read', roomId, seq: 5 });
    const aliceTab = await openTab(server, alice);
    expect(participants(aliceTab.ready.rooms).find((p) => p.id === bob.user.id)).toMatchObject({ lastReadSeq: 5, online: true, lastSeen: null });
    aliceTab.socket.close();

    // Alice gone (every socket closed): Bob's next snapshot shows her offline, with when she was last seen.
    alice.socket.close();
    await bob.socket.next('presence', (f) => f.userId === alice.user.id && !f.online);
    const bobTab = await openTab(server, bob);
    const gone = participants(bobTab.ready.rooms).find((p) => p.id === alice.user.id)!;
    expect(gone.online).toBe(false);
    expect(gone.lastSeen).toMatch(ISO);

    // Most recently active first: a message in a room of Bob's moves it to the top, and the list is
    // ordered by updatedAt; each room's lastSeq is its last message's.
    const other = (await api(server, bob.token, 'POST', '/api/support')).body.room as Room;
    await bob.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Back at the top' });
    const fresh = await openTab(server, bob);
    expect(fresh.ready.rooms.map((r) => r.id).slice(0, 2)).toEqual([roomId, other.id]);
    const stamps = fresh.ready.rooms.map((r) => Date.parse(r.updatedAt));
    expect(stamps).toEqual([...stamps].sort((x, y) => y - x));
    for (const room of fresh.ready.rooms) expect(room.lastSeq).toBe(room.lastMessage?.seq ?? 0);
    for (const s of [bob.socket, bobTab.socket, fresh.socket]) s.close();
  });

  it('history: the default page is the latest 50, the largest 100; hasMore in both directions at those sizes', async () => {
    const { carol, room } = await acceptedJob();
    for (let i = 2; i <= 121; i++) await carol.socket.expect('ack', { type: 'send', roomId: room.id, clientId: cid(), content: `line ${i}` });
    const page = async (frame: Record<string, unknown>) => {
      const answer = await carol.socket.expect('history', { type: 'history', roomId: room.id, ...frame });
      const seqs = answer.messages.map((m) => m.seq);
      return { first: seqs[0], last: seqs.at(-1), count: seqs.length, hasMore: answer.hasMore };
    };
    expect(await page({})).toEqual({ first: 72, last: 121, count: 50, hasMore: true });
    expect(await page({ limit: 100 })).toEqual({ first: 22, last: 121, count: 100, hasMore: true });
    expect(await page({ beforeSeq: 72 })).toEqual({ first: 22, last: 71, count: 50, hasMore: true });
    expect(await page({ beforeSeq: 101, limit: 100 })).toEqual({ first: 1, last: 100, count: 100, hasMore: false });
    expect(await page({ afterSeq: 0 })).toEqual({ first: 1, last: 50, count: 50, hasMore: true });
    expect(await page({ afterSeq: 0, limit: 100 })).toEqual({ first: 1, last: 100, count: 100, hasMore: true });
    expect(await page({ afterSeq: 21, limit: 100 })).toEqual({ first: 22, last: 121, count: 100, hasMore: false });
    carol.socket.close();
  });

  it('jobs: only a cleaner accepts; the room holds exactly client and cleaner, opened by a system message; support moves any job, others’ people may not', async () => {
    const carol = await connectAs(server, 'client2');
    const alice = await server.login('client1');
    const bob = await server.login('cleaner1');
    const dan = await connectAs(server, 'cleaner2');
    const sam = await server.login('support1');
    const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Balcony' })).body.job as Job;
    expect(job).toMatchObject({ title: 'Balcony', status: 'open' });
    // A client's list is their own; a cleaner sees open ones.
    const listed = async (token: string) => ((await api(server, token, 'GET', '/api/jobs')).body.jobs as Job[]).some((j) => j.id === job.id);
    expect([await listed(carol.token), await listed(alice.token), await listed(bob.token), await listed(dan.token)]).toEqual([true, false, true, true]);

    for (const who of [carol, alice, sam]) {
      const refused = await api(server, who.token, 'POST', `/api/jobs/${job.id}/accept`);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('FORBIDDEN');
    }
    const accepted = await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
    expect(accepted.body.job).toMatchObject({ id: job.id, status: 'assigned' });
    const { room } = await carol.socket.next('room', (f) => f.room.job?.id === job.id);
    expect(room).toMatchObject({ type: 'job', isActive: true, lastSeq: 1, job: { id: job.id, status: 'assigned' } });
    expect(room.participants.map((p) => [p.username, p.role]).sort()).toEqual([['cleaner2', 'cleaner'], ['client2', 'client']]);
    expect(room.lastMessage).toMatchObject({ seq: 1, type: 'system', sender: null, roomId: room.id });
    expect((await dan.socket.next('message', (f) => f.message.roomId === room.id)).message).toEqual(room.lastMessage);

    for (const who of [alice, bob]) {
      const refused = await api(server, who.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'in_progress' });
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('FORBIDDEN');
    }
    const moved = await api(server, sam.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'in_progress' });
    expect(moved.status).toBe(200);
    expect(moved.body.job).toMatchObject({ id: job.id, status: 'in_progress' });
    const note = await carol.socket.next('message', (f) => f.message.roomId === room.id && f.message.seq === 2);
    expect(note.message).toMatchObject({ type: 'system', sender: null });
    expect((await dan.socket.next('room', (f) => f.room.id === room.id && f.room.job?.status === 'in_progress')).room.lastSeq).toBe(2);
    carol.socket.close();
    dan.socket.close();
  });

  it('clientId is unique per sender: another sender’s same clientId is a message of its own; the same sender’s is the original', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const key = cid('shared');
    const hers = await alice.socket.expect('ack', { type: 'send', roomId, clientId: key, content: 'Hers' });
    expect(hers).toMatchObject({ clientId: key, message: { clientId: key, content: 'Hers' } });
    expect((await bob.socket.next('message', (f) => f.message.id === hers.message.id)).message).toEqual(hers.message);
    const his = await bob.socket.expect('ack', { type: 'send', roomId, clientId: key, content: 'His' });
    expect(his.message).toMatchObject({ clientId: key, content: 'His', seq: hers.message.seq + 1 });
    expect(his.message.sender?.id).toBe(bob.user.id);
    const again = await alice.socket.expect('ack', { type: 'send', roomId, clientId: key, content: 'Hers, changed' });
    expect(again.message).toEqual(hers.message);
    const latest = await bob.socket.expect('history', { type: 'history', roomId, limit: 2 });
    expect(latest.messages.map((m) => m.content)).toEqual(['Hers', 'His']);
    alice.socket.close();
    bob.socket.close();
  });

  it('every authenticated route is 401 with the error body without credentials, and takes the session cookie as it takes Bearer', async () => {
    const roomId = server.demo!.roomId;
    const routes: [string, string][] = [
      ['GET', '/api/me'], ['GET', '/api/jobs'], ['POST', '/api/jobs'], ['POST', `/api/jobs/${server.demo!.openJobId}/accept`],
      ['POST', `/api/jobs/${server.demo!.assignedJobId}/status`], ['POST', '/api/support'],
      ['POST', `/api/rooms/${roomId}/attachments`], ['GET', '/api/attachments/1'],
    ];
    for (const [method, path] of routes) {
      for (const token of [null, 'not-a-token']) {
        const res = await api(server, token, method, path, method === 'POST' ? {} : undefined);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.error).toEqual({ code: 'UNAUTHORIZED', message: expect.any(String) });
      }
    }

    const alice = await server.login('client1');
    const bob = await server.login('cleaner1');
    const byCookie = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}${path}`, { method, headers: { Cookie: alice.cookie, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    expect((await byCookie('GET', '/api/jobs')).status).toBe(200);
    const posted = await byCookie('POST', '/api/jobs', { title: 'By cookie' });
    expect(((await posted.json()) as { job: Job }).job.status).toBe('open');
    expect((await byCookie('POST', '/api/support')).status).toBe(200);
    const up = await upload({ Cookie: alice.cookie }, roomId, PNG, 'photo.png', 'image/png');
    expect(up.status).toBe(200);
    expect((await byCookie('GET', up.body.url)).status).toBe(200);

    // Logged out by cookie: neither the cookie nor that session's token works, on HTTP or at the upgrade.
    expect((await byCookie('POST', '/api/auth/logout')).status).toBe(200);
    expect((await byCookie('GET', '/api/me')).status).toBe(401);
    expect((await api(server, alice.token, 'GET', '/api/me')).status).toBe(401);
    expect(await upgradeStatus(server.wsUrlFor(alice.user.id), { token: alice.token })).toBe(401);
    expect(await upgradeStatus(server.wsUrlFor(alice.user.id), { cookie: alice.cookie })).toBe(401);
    expect((await api(server, bob.token, 'GET', '/api/me')).status).toBe(200);
  });

  it('attachments: a photo is sent as an image message, a PDF as a file; each is served as its own type, never as a page', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const auth = { Authorization: `Bearer ${alice.token}` };
    const cases = [
      { bytes: PNG, name: 'page.html', declared: 'text/html', type: 'image', mime: 'image/png' },
      { bytes: PDF, name: 'invoice.pdf', declared: 'application/pdf', type: 'file', mime: 'application/pdf' },
    ] as const;
    for (const c of cases) {
      const up = await upload(auth, roomId, c.bytes, c.name, c.declared);
      expect(up.status).toBe(200);
      expect(up.body).toEqual({ id: up.body.id, name: expect.any(String), mime: c.mime, size: c.bytes.length, url: expect.any(String) });
      const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: up.body.id });
      expect(ack.message).toMatchObject({ type: c.type, attachment: up.body });
      const seen = (await bob.socket.next('message', (f) => f.message.id === ack.message.id)).message;
      const res = await fetch(`${server.url}${seen.attachment!.url}`, { headers: { Authorization: `Bearer ${bob.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(c.mime);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain('sandbox');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(c.bytes);
    }
    expect((await upload(auth, roomId, Buffer.from('<html><script>alert(1)</script></html>'), 'x.png', 'image/png')).status).toBe(415);
    alice.socket.close();
    bob.socket.close();
  });
});
