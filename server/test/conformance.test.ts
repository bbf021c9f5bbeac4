/**
 * Conformance probes written from the wire contract alone (/work/shared/protocol.md), on one node and
 * both databases: the edges of history paging, read marks, frame edges and refs, delete by support,
 * closed rooms, system messages in the unread counts, and the `room` frames of a job's life.
 */
import { describe, expect, it } from 'vitest';
import type { Job, Room } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs, openTab, serverForSuite } from './support/chat.ts';
import type { TestServer } from '../src/testing.ts';

/** A new job of client2 accepted by cleaner2: a fresh room holding only its system message (seq 1). */
async function freshJobRoom(server: TestServer): Promise<{ job: Job; roomId: number }> {
  const carol = await server.login('client2');
  const dan = await server.login('cleaner2');
  const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: `Probe ${cid()}` })).body.job as Job;
  const accepted = await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
  expect(accepted.status).toBe(200);
  const roomId = (accepted.body.job as Job & { roomId?: number }).roomId;
  if (roomId === undefined) throw new Error('the accepted job names no room');
  return { job, roomId };
}

async function setStatus(server: TestServer, token: string, jobId: number, status: string) {
  const res = await api(server, token, 'POST', `/api/jobs/${jobId}/status`, { status });
  expect(res.status).toBe(200);
}

for (const dialect of DIALECTS) {
  describe(`wire contract probes (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { roomCloseGraceMs: 1500, roomSweepIntervalMs: 200, limits: { sendRateLimit: 1000 } } });

    it('history: the edges of both directions, exact page boundaries, hasMore, and bad pages answered with their ref', async () => {
      const { roomId } = await freshJobRoom(server);
      const carol = await connectAs(server, 'client2');
      for (let i = 2; i <= 5; i++) await carol.socket.expect('ack', { type: 'send', roomId, clientId: cid('h'), content: `line ${i}` });
      const page = async (frame: Record<string, unknown>) => {
        const answer = await carol.socket.expect('history', { type: 'history', roomId, ...frame });
        expect(answer.roomId).toBe(roomId);
        return { seqs: answer.messages.map((m) => m.seq), hasMore: answer.hasMore };
      };
      // The latest, and backwards: nothing before seq 1; exactly the room's size is no "more".
      expect(await page({ beforeSeq: 1 })).toEqual({ seqs: [], hasMore: false });
      expect(await page({ limit: 5 })).toEqual({ seqs: [1, 2, 3, 4, 5], hasMore: false });
      expect(await page({ limit: 4 })).toEqual({ seqs: [2, 3, 4, 5], hasMore: true });
      expect(await page({ limit: 1 })).toEqual({ seqs: [5], hasMore: true });
      expect(await page({ limit: 100 })).toEqual({ seqs: [1, 2, 3, 4, 5], hasMore: false });
      expect(await page({ beforeSeq: 3, limit: 2 })).toEqual({ seqs: [1, 2], hasMore: false });
      expect(await page({ beforeSeq: 4, limit: 2 })).toEqual({ seqs: [2, 3], hasMore: true });
      expect(await page({ beforeSeq: 6, limit: 5 })).toEqual({ seqs: [1, 2, 3, 4, 5], hasMore: false });
      // Forwards: nothing after the last seq or beyond it; exactly the rest is no "more".
      expect(await page({ afterSeq: 5 })).toEqual({ seqs: [], hasMore: false });
      expect(await page({ afterSeq: 50 })).toEqual({ seqs: [], hasMore: false });
      expect(await page({ afterSeq: 0, limit: 5 })).toEqual({ seqs: [1, 2, 3, 4, 5], hasMore: false });
      expect(await page({ afterSeq: 0, limit: 4 })).toEqual({ seqs: [1, 2, 3, 4], hasMore: true });
      expect(await page({ afterSeq: 3, limit: 2 })).toEqual({ seqs: [4, 5], hasMore: false });
      expect(await page({ afterSeq: 2, limit: 2 })).toEqual({ seqs: [3, 4], hasMore: true });
      expect(await page({ afterSeq: 4, limit: 1 })).toEqual({ seqs: [5], hasMore: false });

      for (const bad of [{ limit: 0 }, { limit: 101 }, { limit: 2.5 }, { limit: '5' }, { limit: -1 }, { beforeSeq: 3, afterSeq: 1 }, { beforeSeq: 'x' }]) {
        carol.socket.send({ type: 'history', ref: 'bad-page', roomId, ...bad });
        const error = await carol.socket.next('error');
        expect(error, JSON.stringify(bad)).toMatchObject({ ref: 'bad-page', code: 'BAD_REQUEST' });
      }
      await carol.socket.sync();
      carol.socket.close();
    });

    it('read: seq 0 and a seq behind the mark are answered with unread on every tab and send no receipt', async () => {
      const { roomId } = await freshJobRoom(server);
      const carol = await connectAs(server, 'client2');
      const carolTab = await openTab(server, carol);
      const dan = await connectAs(server, 'cleaner2');
      const sent = await dan.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'On my way' });
      await carol.socket.next('unread', (f) => f.roomId === roomId && f.unread === 2);
      // Seq 0 moves nothing: both tabs are told the unchanged count, Dan gets no receipt.
      const zero = await carol.socket.expect('unread', { type: 'read', roomId, seq: 0 });
      expect(zero).toMatchObject({ roomId, unread: 2 });
      expect(await carolTab.socket.next('unread', (f) => f.roomId === roomId && f.unread === 2)).not.toHaveProperty('ref');
      // Up to seq 1 (the system message): one unread left, one receipt.
      expect(await carolTab.socket.expect('unread', { type: 'read', roomId, seq: 1 })).toMatchObject({ unread: 1 });
      expect(await dan.socket.next('receipt', (f) => f.roomId === roomId)).toMatchObject({ userId: carol.user.id, lastReadSeq: 1 });
      // Behind the mark: still answered, on both tabs, the mark stays.
      expect(await carol.socket.expect('unread', { type: 'read', roomId, seq: 0 })).toMatchObject({ unread: 1 });
      await carolTab.socket.next('unread', (f) => f.roomId === roomId && f.unread === 1);
      expect(await carol.socket.expect('unread', { type: 'read', roomId, seq: sent.message.seq })).toMatchObject({ unread: 0 });
      await dan.socket.next('receipt', (f) => f.roomId === roomId && f.lastReadSeq === sent.message.seq);
      await dan.socket.sync();
      expect(dan.socket.all('receipt').filter((r) => r.roomId === roomId)).toHaveLength(2);
      // The reader's own tabs never get a receipt of her own read.
      await carol.socket.sync();
      await carolTab.socket.sync();
      expect([...carol.socket.all('receipt'), ...carolTab.socket.all('receipt')].filter((r) => r.userId === carol.user.id)).toEqual([]);
      for (const s of [carol.socket, carolTab.socket, dan.socket]) s.close();
    });

    it('unread skips only the reader’s own messages when the mark stops in the middle of them', async () => {
      const { roomId } = await freshJobRoom(server);
      const carol = await connectAs(server, 'client2');
      const dan = await connectAs(server, 'cleaner2');
      await carol.socket.expect('unread', { type: 'read', roomId, seq: 1 });
      const seqs: number[] = [];
      for (const [who, content] of [[carol, 'a'], [carol, 'b'], [dan, 'c'], [carol, 'd'], [dan, 'e']] as const) {
        seqs.push((await who.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content })).message.seq);
      }
      // Carol's view: unread are Dan's two (seqs 4 and 6); reading up to each point leaves Dan's after it.
      for (const [mark, unread] of [[1, 2], [2, 2], [3, 2], [4, 1], [5, 1], [6, 0]] as const) {
        expect(await carol.socket.expect('unread', { type: 'read', roomId, seq: mark }), `read ${mark}`).toMatchObject({ unread });
        const tab = await openTab(server, carol);
        expect(tab.ready.rooms.find((r) => r.id === roomId), `ready after read ${mark}`).toMatchObject({ unread });
        tab.socket.close();
      }
      expect(seqs).toEqual([2, 3, 4, 5, 6]);
      // Dan's: Carol's three and the system message, minus what he read.
      expect(await dan.socket.expect('unread', { type: 'read', roomId, seq: 3 })).toMatchObject({ unread: 1 });
      carol.socket.close();
      dan.socket.close();
    });

    it('delete by the support participant of the room; the other, non-support participant may not; both tabs see it', async () => {
      const carol = await connectAs(server, 'client2');
      const carolTab = await openTab(server, carol);
      const opened = await api(server, carol.token, 'POST', '/api/support');
      const roomId = (opened.body.room as Room).id;
      const agent = await connectAs(server, 'support1');
      const mine = await carol.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'My card number is 4111…' });
      const theirs = await agent.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Please do not post that' });
      expect(await carol.socket.expectError({ type: 'delete', messageId: theirs.message.id })).toBe('FORBIDDEN');
      expect(await carol.socket.expectError({ type: 'edit', messageId: theirs.message.id, content: 'x' })).toBe('FORBIDDEN');
      expect(await agent.socket.expectError({ type: 'edit', messageId: mine.message.id, content: 'x' })).toBe('FORBIDDEN');
      const deleted = await agent.socket.expect('message_updated', { type: 'delete', messageId: mine.message.id });
      expect(deleted.message).toMatchObject({ id: mine.message.id, content: '', attachment: null });
      expect(deleted.message.deletedAt).not.toBeNull();
      for (const tab of [carol.socket, carolTab.socket]) {
        expect((await tab.next('message_updated', (f) => f.message.id === mine.message.id)).message.deletedAt).not.toBeNull();
      }
      // A support agent who is not in the room may not delete there.
      const jobRoom = server.demo!.roomId;
      const alice = await connectAs(server, 'client1');
      const aliceMsg = await alice.socket.expect('ack', { type: 'send', roomId: jobRoom, clientId: cid(), content: 'hi' });
      expect(await agent.socket.expectError({ type: 'delete', messageId: aliceMsg.message.id })).toBe('FORBIDDEN');
      for (const s of [carol.socket, carolTab.socket, agent.socket, alice.socket]) s.close();
    });

    it('an edit reaches every socket of every participant, the editor’s own (with its ref) and other tab included', async () => {
      const { roomId } = await freshJobRoom(server);
      const carol = await connectAs(server, 'client2');
      const carolTab = await openTab(server, carol);
      const dan = await connectAs(server, 'cleaner2');
      const danTab = await openTab(server, dan);
      const sent = await carol.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Kitchen first' });
      const edited = await carol.socket.expect('message_updated', { type: 'edit', messageId: sent.message.id, content: 'Bathroom first' });
      expect(edited.message).toMatchObject({ id: sent.message.id, seq: sent.message.seq, content: 'Bathroom first' });
      for (const tab of [carolTab.socket, dan.socket, danTab.socket]) {
        const seen = await tab.next('message_updated', (f) => f.message.id === sent.message.id);
        expect(seen.message).toEqual(edited.message);
        expect(seen).not.toHaveProperty('ref');
      }
      // An edit changes no count: nobody is told a new unread.
      await dan.socket.sync();
      expect(dan.socket.all('unread').filter((f) => f.roomId === roomId)).toHaveLength(1);
      for (const s of [carol.socket, carolTab.socket, dan.socket, danTab.socket]) s.close();
    });

    it('a job’s life on the sockets: room on accept, on each status change (its system message unread), and on close after the grace', async () => {
      const carol = await connectAs(server, 'client2');
      const carolTab = await openTab(server, carol);
      const dan = await connectAs(server, 'cleaner2');
      const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Windows' })).body.job as Job;
      expect((await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`)).status).toBe(200);
      const sockets = { carol: carol.socket, carolTab: carolTab.socket, dan: dan.socket };
      const created: Record<string, Room> = {};
      for (const [name, s] of Object.entries(sockets)) created[name] = (await s.next('room', (f) => f.room.job?.id === job.id)).room;
      const roomId = created.carol!.id;
      // The system message counts for both: the client's and the accepting cleaner's.
      expect(created.carol).toMatchObject({ isActive: true, unread: 1, lastSeq: 1, job: { status: 'assigned' } });
      expect(created.dan).toMatchObject({ unread: 1, lastSeq: 1 });

      await setStatus(server, dan.token, job.id, 'in_progress');
      for (const s of Object.values(sockets)) {
        expect((await s.next('room', (f) => f.room.id === roomId)).room).toMatchObject({ isActive: true, lastSeq: 2, unread: 2, job: { status: 'in_progress' } });
        expect(await s.next('unread', (f) => f.roomId === roomId && f.unread === 2)).toMatchObject({ unread: 2 });
      }
      // Carol reads; Dan's status change is one more unread for her (and him: it is nobody's message).
      await carol.socket.expect('unread', { type: 'read', roomId, seq: 2 });
      await setStatus(server, dan.token, job.id, 'completed');
      const completed = await carol.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'completed');
      expect(completed.room).toMatchObject({ isActive: true, lastSeq: 3, unread: 1 });
      const active = await carol.socket.next('unread', (f) => f.roomId === roomId && f.unread === 1);
      expect((await dan.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'completed')).room.unread).toBe(3);
      // After the grace the room closes: `room` with isActive false, and the total leaves it out.
      for (const s of Object.values(sockets)) {
        expect((await s.next('room', (f) => f.room.id === roomId && !f.room.isActive, 5000)).room).toMatchObject({ lastSeq: 3 });
      }
      const closedCount = await carol.socket.next('unread', (f) => f.roomId === roomId && f.totalUnread === active.totalUnread - 1);
      expect(closedCount.unread).toBe(1);
      const fresh = await openTab(server, carol);
      const listed = fresh.ready.rooms.find((r) => r.id === roomId);
      expect(listed).toMatchObject({ isActive: false, unread: 1 });
      expect(fresh.ready.totalUnread).toBe(fresh.ready.rooms.filter((r) => r.isActive).reduce((sum, r) => sum + r.unread, 0));

      // Closed: no edit, no typing, no send; delete, read and history still work.
      const before = (await carol.socket.expect('history', { type: 'history', roomId })).messages;
      expect(before.map((m) => m.type)).toEqual(['system', 'system', 'system']);
      expect(await carol.socket.expectError({ type: 'send', roomId, clientId: cid(), content: 'late' })).toBe('ROOM_CLOSED');
      expect(await carol.socket.expectError({ type: 'typing', roomId, isTyping: true })).toBe('ROOM_CLOSED');
      expect(await fresh.socket.expect('unread', { type: 'read', roomId, seq: 3 })).toMatchObject({ unread: 0, totalUnread: fresh.ready.totalUnread });
      for (const s of [carol.socket, carolTab.socket, dan.socket, fresh.socket]) s.close();
    });

    it('a new tab’s room list shows the last message as edited or deleted, and the most recently active room first', async () => {
      const first = await freshJobRoom(server);
      const second = await freshJobRoom(server);
      const carol = await connectAs(server, 'client2');
      const listed = async () => {
        const tab = await openTab(server, carol);
        tab.socket.close();
        return tab.ready.rooms;
      };
      const sent = await carol.socket.expect('ack', { type: 'send', roomId: first.roomId, clientId: cid(), content: 'Bring a ladder' });
      let rooms = await listed();
      expect(rooms[0]?.id).toBe(first.roomId);
      expect(rooms.find((r) => r.id === first.roomId)?.lastMessage).toEqual(sent.message);
      const edited = await carol.socket.expect('message_updated', { type: 'edit', messageId: sent.message.id, content: 'Bring two ladders' });
      expect((await listed()).find((r) => r.id === first.roomId)?.lastMessage).toEqual(edited.message);
      const deleted = await carol.socket.expect('message_updated', { type: 'delete', messageId: sent.message.id });
      expect((await listed()).find((r) => r.id === first.roomId)?.lastMessage).toEqual(deleted.message);
      await carol.socket.expect('ack', { type: 'send', roomId: second.roomId, clientId: cid(), content: 'Other job' });
      rooms = await listed();
      expect(rooms.slice(0, 2).map((r) => r.id)).toEqual([second.roomId, first.roomId]);
      const stamps = rooms.map((r) => Date.parse(r.updatedAt));
      expect(stamps).toEqual([...stamps].sort((x, y) => y - x));
      carol.socket.close();
    });

    it('a system message is nobody’s to edit or delete but the room’s support participant may delete it', async () => {
      const carol = await connectAs(server, 'client2');
      const room = (await api(server, carol.token, 'POST', '/api/support')).body.room as Room;
      const agent = await connectAs(server, 'support1');
      const system = (await carol.socket.expect('history', { type: 'history', roomId: room.id, afterSeq: 0, limit: 1 })).messages[0]!;
      expect(system.type).toBe('system');
      expect(await carol.socket.expectError({ type: 'delete', messageId: system.id })).toBe('FORBIDDEN');
      expect(await carol.socket.expectError({ type: 'edit', messageId: system.id, content: 'x' })).toBe('FORBIDDEN');
      expect(await agent.socket.expectError({ type: 'edit', messageId: system.id, content: 'x' })).toBe('FORBIDDEN');
      const deleted = await agent.socket.expect('message_updated', { type: 'delete', messageId: system.id });
      expect(deleted.message).toMatchObject({ id: system.id, type: 'system', content: '' });
      await carol.socket.next('message_updated', (f) => f.message.id === system.id);
      carol.socket.close();
      agent.socket.close();
    });

    it('edit is ROOM_CLOSED and delete still works in a closed room', async () => {
      const { job, roomId } = await freshJobRoom(server);
      const carol = await connectAs(server, 'client2');
      const dan = await connectAs(server, 'cleaner2');
      const sent = await carol.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Thanks!' });
      await setStatus(server, carol.token, job.id, 'cancelled');
      await carol.socket.next('room', (f) => f.room.id === roomId && !f.room.isActive, 5000);
      expect(await carol.socket.expectError({ type: 'edit', messageId: sent.message.id, content: 'Thanks again' })).toBe('ROOM_CLOSED');
      const deleted = await carol.socket.expect('message_updated', { type: 'delete', messageId: sent.message.id });
      expect(deleted.message.deletedAt).not.toBeNull();
      await dan.socket.next('message_updated', (f) => f.message.id === sent.message.id);
      expect(await carol.socket.expectError({ type: 'edit', messageId: sent.message.id, content: 'back' })).toMatch(/^(CONFLICT|ROOM_CLOSED)$/);
      carol.socket.close();
      dan.socket.close();
    });
  });
}

describe('wire contract probes: typing refresh and tabs', () => {
  // Refreshed every 700 ms: well inside the expiry even when a loaded machine runs a timer late.
  const server = serverForSuite({ config: { limits: { typingExpiryMs: 2000 } } });

  it('a refreshed true does not expire; two typing tabs of one user stay typing until both stop', async () => {
    const alice = await connectAs(server, 'client1');
    const aliceTab = await openTab(server, alice);
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const states = () => bob.socket.all('typing').filter((f) => f.userId === alice.user.id).map((f) => f.isTyping);
    const started = Date.now();
    alice.socket.send({ type: 'typing', roomId, isTyping: true });
    await bob.socket.next('typing', (f) => f.userId === alice.user.id && f.isTyping);
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 700));
      alice.socket.send({ type: 'typing', roomId, isTyping: true });
    }
    await alice.socket.sync();
    await bob.socket.sync();
    expect(states().includes(false), 'expired although refreshed').toBe(false);
    const off = await bob.socket.next('typing', (f) => f.userId === alice.user.id && !f.isTyping, 5000);
    expect(off.isTyping).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2100 + 1800);

    // Both tabs type; one stops: still typing. The other's closing stops it.
    alice.socket.send({ type: 'typing', roomId, isTyping: true });
    await bob.socket.next('typing', (f) => f.userId === alice.user.id && f.isTyping);
    aliceTab.socket.send({ type: 'typing', roomId, isTyping: true });
    alice.socket.send({ type: 'typing', roomId, isTyping: false });
    await alice.socket.sync();
    await aliceTab.socket.sync();
    await bob.socket.sync();
    const shown = states().length;
    expect(states().at(-1)).toBe(true);
    aliceTab.socket.close();
    await aliceTab.socket.closed;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await bob.socket.sync();
    expect(states().slice(shown)).toEqual([false]);
    alice.socket.close();
    bob.socket.close();
  });
});

describe('wire contract probes: frame edges', () => {
  const server = serverForSuite();

  it('a frame of exactly 64 KiB is served; one byte more closes with 1009; ill-typed read seqs and refs are BAD_REQUEST', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    const shell = JSON.stringify({ type: 'ping', ref: 'edge', pad: '' });
    const exact = JSON.stringify({ type: 'ping', ref: 'edge', pad: 'x'.repeat(64 * 1024 - Buffer.byteLength(shell)) });
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    alice.socket.ws.send(exact);
    expect(await alice.socket.next('pong')).toMatchObject({ ref: 'edge' });
    for (const seq of [-1, 1.5, '3', null]) {
      alice.socket.send({ type: 'read', ref: `seq-${String(seq)}`, roomId, seq });
      expect(await alice.socket.next('error'), String(seq)).toMatchObject({ ref: `seq-${String(seq)}`, code: 'BAD_REQUEST' });
    }
    for (const ref of [42, 'r'.repeat(65), { id: 1 }]) {
      alice.socket.send({ type: 'ping', ref });
      const error = await alice.socket.next('error');
      expect(error.code, JSON.stringify(ref)).toBe('BAD_REQUEST');
      expect(error).not.toHaveProperty('ref');
    }
    await alice.socket.sync();
    alice.socket.ws.send(`${exact.slice(0, -1)}x"}`);
    expect((await alice.socket.closed).code).toBe(1009);
  });

  it('an optional field sent as null is served as if left out; a required one as null is BAD_REQUEST', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    const latest = await alice.socket.expect('history', { type: 'history', roomId });
    const page = await alice.socket.expect('history', { type: 'history', roomId, beforeSeq: null, afterSeq: null, limit: null });
    expect(page.messages.map((m) => m.seq)).toEqual(latest.messages.map((m) => m.seq));
    const after = await alice.socket.expect('history', { type: 'history', roomId, beforeSeq: null, afterSeq: 0, limit: 1 });
    expect(after.messages.map((m) => m.seq)).toEqual([1]);
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'nulls', replyToId: null, attachmentId: null });
    expect(ack.message).toMatchObject({ content: 'nulls', replyTo: null, attachment: null });
    // No ref: the answer carries none.
    alice.socket.send({ type: 'ping', ref: null });
    expect(await alice.socket.next('pong')).not.toHaveProperty('ref');
    for (const field of ['roomId', 'seq'] as const) {
      const code = await alice.socket.expectError({ type: 'read', roomId, seq: 1, [field]: null });
      expect(code, field).toBe('BAD_REQUEST');
    }
    alice.socket.close();
  });
});
