/**
 * Messaging over real sockets against both databases: ready, send/ack/
 * message/unread across tabs, duplicates, history, read marks, receipts,
 * edit/delete, authorisation, limits.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { cid, connectAs, openTab, serverForSuite } from './support/chat.ts';

for (const dialect of DIALECTS) {
  describe(`messaging (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { limits: { sendRateLimit: 1000 } } });
    let roomId: number;
    beforeAll(() => {
      roomId = server.demo!.roomId;
    });

    it('ready lists the rooms with participants, unread and the last message', async () => {
      const bob = await connectAs(server, 'cleaner1');
      const room = bob.ready.rooms.find((r) => r.id === roomId);
      expect(room).toBeDefined();
      expect(room!.type).toBe('job');
      expect(room!.participants.map((p) => p.username).sort()).toEqual(['cleaner1', 'client1']);
      // The seed: a system message and four chat lines; Bob read up to 3, line 4 is his own, line 5 Alice's.
      expect(room!.lastSeq).toBe(5);
      expect(room!.lastMessage?.seq).toBe(5);
      expect(room!.unread).toBe(1);
      expect(room!.lastMessage?.sender?.username).toBe('client1');
      expect(bob.ready.totalUnread).toBe(bob.ready.rooms.filter((r) => r.isActive).reduce((s, r) => s + r.unread, 0));
      expect(bob.ready.user.username).toBe('cleaner1');
      expect(Number.isNaN(Date.parse(bob.ready.serverTime))).toBe(false);
      bob.socket.close();
    });

    it('two users, three tabs: ack to the sender, message to every other tab, unread counts agree', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const bobTab2 = await openTab(server, bob);
      const aliceTab2 = await openTab(server, alice);
      const clientId = cid();
      const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'Is 9 am fine?' });
      expect(ack.clientId).toBe(clientId);
      expect(ack.message).toMatchObject({ roomId, content: 'Is 9 am fine?', clientId, type: 'text' });
      expect(ack.message.sender?.username).toBe('client1');
      const seq = ack.message.seq;

      for (const tab of [bob.socket, bobTab2.socket, aliceTab2.socket]) {
        const m = await tab.next('message', (f) => f.message.id === ack.message.id);
        expect(m.message.seq).toBe(seq);
      }
      const u1 = await bob.socket.next('unread', (f) => f.roomId === roomId);
      const u2 = await bobTab2.socket.next('unread', (f) => f.roomId === roomId);
      expect(u1).toEqual(u2);
      expect(u1.unread).toBeGreaterThanOrEqual(1);

      // Bob reads on one tab: every tab of his sees the same count (the reading tab's answers its ref); Alice gets a receipt.
      bob.socket.send({ type: 'read', ref: 'bob-read', roomId, seq });
      const r1 = await bob.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0);
      const r2 = await bobTab2.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0);
      expect(r1.totalUnread).toBe(r2.totalUnread);
      expect(r1.ref).toBe('bob-read');
      expect(r2).not.toHaveProperty('ref');
      const receipt = await alice.socket.next('receipt', (f) => f.roomId === roomId);
      expect(receipt).toMatchObject({ userId: bob.user.id, lastReadSeq: seq });
      await aliceTab2.socket.next('receipt', (f) => f.roomId === roomId);

      // The sender's own message does not count as unread for her.
      await alice.socket.sync();
      expect(alice.socket.all('unread').filter((f) => f.roomId === roomId)).toEqual([]);

      // Reading backwards never moves the mark and sends no receipt, but still answers unread.
      bob.socket.send({ type: 'read', roomId, seq: 1 });
      const again = await bob.socket.next('unread', (f) => f.roomId === roomId);
      expect(again.unread).toBe(0);
      await alice.socket.sync();
      expect(alice.socket.all('receipt')).toHaveLength(1);
      for (const s of [alice.socket, bob.socket, bobTab2.socket, aliceTab2.socket]) s.close();
    });

    it('reads from two tabs at once: each tab ends at zero, the partner sees each mark once, in order', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const bobTab2 = await openTab(server, bob);
      const seqs: number[] = [];
      for (const content of ['Key under the mat', 'Code 4411', 'Back door open']) {
        seqs.push((await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content })).message.seq);
      }
      const [first, , last] = seqs as [number, number, number];
      for (const tab of [bob.socket, bobTab2.socket]) {
        await tab.next('message', (f) => f.message.roomId === roomId && f.message.seq === last);
        await tab.sync();
      }
      const earlier = new Set([...bob.socket.all('unread'), ...bobTab2.socket.all('unread')]);
      // At once: the reads of both tabs often reach the same batch, where the same mark is asked twice.
      bob.socket.send({ type: 'read', roomId, seq: first });
      bobTab2.socket.send({ type: 'read', roomId, seq: last });
      bob.socket.send({ type: 'read', roomId, seq: last });
      for (const tab of [bob.socket, bobTab2.socket]) {
        await tab.next('unread', (f) => f.roomId === roomId && f.unread === 0 && !earlier.has(f));
      }

      await bob.socket.sync();
      await bobTab2.socket.sync();
      await alice.socket.sync();
      const receipts = alice.socket.all('receipt').filter((r) => r.roomId === roomId && r.userId === bob.user.id);
      const marks = receipts.map((r) => r.lastReadSeq);
      expect(marks.at(-1)).toBe(last);
      expect(marks).toEqual([...new Set(marks)].sort((a, b) => a - b));
      for (const s of [alice.socket, bob.socket, bobTab2.socket]) s.close();
    });

    it('a read past the last message marks up to it and not beyond', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const { message } = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Leaving now' });
      await bob.socket.next('message', (f) => f.message.id === message.id);
      bob.socket.send({ type: 'read', roomId, seq: message.seq + 1000 });
      expect(await alice.socket.next('receipt', (f) => f.roomId === roomId && f.userId === bob.user.id)).toMatchObject({ lastReadSeq: message.seq });
      await bob.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0);
      // The next message is unread: the mark did not run ahead of the room.
      const next = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Here in 10 minutes' });
      expect(await bob.socket.next('unread', (f) => f.roomId === roomId && f.unread > 0)).toMatchObject({ unread: 1 });
      expect(next.message.seq).toBe(message.seq + 1);
      alice.socket.close();
      bob.socket.close();
    });

    it('a repeated clientId stores one message and answers the original ack', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const clientId = cid('dup');
      const first = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'once' });
      const second = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'once' });
      expect(second.message).toEqual(first.message);
      await bob.socket.next('message', (f) => f.message.clientId === clientId);
      await bob.socket.sync();
      expect(bob.socket.all('message').filter((f) => f.message.clientId === clientId)).toHaveLength(1);
      const page = await alice.socket.expect('history', { type: 'history', roomId, afterSeq: first.message.seq - 1 });
      expect(page.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
      alice.socket.close();
      bob.socket.close();
    });

    it('a clientId sent again from another tab: each tab gets the ack, neither the message again, the partner once', async () => {
      const alice = await connectAs(server, 'client1');
      const aliceTab = await openTab(server, alice);
      const bob = await connectAs(server, 'cleaner1');
      const clientId = cid('two-tabs');
      // The second tab sends the same send again (a draft restored in two tabs, one session's outbox).
      const first = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'twice typed' });
      await aliceTab.socket.next('message', (f) => f.message.id === first.message.id);
      const again = await aliceTab.socket.expect('ack', { type: 'send', roomId, clientId, content: 'twice typed' });
      expect(again.message).toEqual(first.message);
      await bob.socket.next('message', (f) => f.message.id === first.message.id);
      for (const s of [alice.socket, aliceTab.socket, bob.socket]) await s.sync();
      const copies = (socket: typeof alice.socket) => socket.all('message').filter((f) => f.message.id === first.message.id).length;
      expect([copies(alice.socket), copies(aliceTab.socket), copies(bob.socket)]).toEqual([0, 1, 1]);
      for (const s of [alice.socket, aliceTab.socket, bob.socket]) s.close();
    });

    // A lone surrogate (JSON "\ud800") has no UTF-8 form: stored, it came back changed (SQLite) or as
    // U+FFFD (PostgreSQL), so the ack differed from history and a retry of its clientId was INTERNAL forever.
    it('refuses text with a lone surrogate, so what is acked is what is stored and a retry is answered', async () => {
      const alice = await connectAs(server, 'client1');
      const clientId = cid('lone');
      expect(await alice.socket.expectError({ type: 'send', roomId, clientId: `${clientId}\ud800`, content: 'hi' })).toBe('BAD_REQUEST');
      expect(await alice.socket.expectError({ type: 'send', roomId, clientId, content: 'cut 😀'.slice(0, -1) })).toBe('BAD_REQUEST');
      const sent = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'whole 😀' });
      expect(await alice.socket.expectError({ type: 'edit', messageId: sent.message.id, content: '\udc00 tail' })).toBe('BAD_REQUEST');
      const again = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'whole 😀' });
      expect(again.message).toEqual(sent.message);
      const page = await alice.socket.expect('history', { type: 'history', roomId, limit: 1 });
      expect(page.messages[0]).toEqual(sent.message);
      alice.socket.close();
    });

    it('history pages backwards and forwards with hasMore, and rejects bad limits', async () => {
      const alice = await connectAs(server, 'client1');
      for (let i = 0; i < 6; i++) await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid('h'), content: `page ${i}` });
      const latest = await alice.socket.expect('history', { type: 'history', roomId, limit: 3 });
      expect(latest.roomId).toBe(roomId);
      expect(latest.messages).toHaveLength(3);
      expect(latest.hasMore).toBe(true);
      const seqs = latest.messages.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const lastSeq = seqs[2]!;
      const before = await alice.socket.expect('history', { type: 'history', roomId, beforeSeq: seqs[0], limit: 100 });
      expect(before.hasMore).toBe(false);
      expect(before.messages.map((m) => m.seq)).toEqual(Array.from({ length: seqs[0]! - 1 }, (_, i) => i + 1));
      const after = await alice.socket.expect('history', { type: 'history', roomId, afterSeq: 1, limit: 2 });
      expect(after.messages.map((m) => m.seq)).toEqual([2, 3]);
      expect(after.hasMore).toBe(true);
      const tail = await alice.socket.expect('history', { type: 'history', roomId, afterSeq: lastSeq - 1 });
      expect(tail.messages.map((m) => m.seq)).toEqual([lastSeq]);
      expect(tail.hasMore).toBe(false);
      expect(await alice.socket.expectError({ type: 'history', roomId, limit: 0 })).toBe('BAD_REQUEST');
      expect(await alice.socket.expectError({ type: 'history', roomId, limit: 101 })).toBe('BAD_REQUEST');
      // Past the 32-bit range of room ids and seqs (PostgreSQL answered INTERNAL): a well-typed id
      // that names no room is NOT_FOUND, a seq past every room's end is clamped to it.
      // So is a room id that no room can have (0, negative).
      for (const noRoom of [2 ** 31, Number.MAX_SAFE_INTEGER, 0, -1]) {
        expect(await alice.socket.expectError({ type: 'history', roomId: noRoom })).toBe('NOT_FOUND');
        expect(await alice.socket.expectError({ type: 'read', roomId: noRoom, seq: 1 })).toBe('NOT_FOUND');
        expect(await alice.socket.expectError({ type: 'typing', roomId: noRoom, isTyping: true })).toBe('NOT_FOUND');
        expect(await alice.socket.expectError({ type: 'send', roomId: noRoom, clientId: cid(), content: 'x' })).toBe('NOT_FOUND');
      }
      expect(await alice.socket.expectError({ type: 'history', roomId: 1.5 })).toBe('BAD_REQUEST');
      for (const big of [2 ** 31, Number.MAX_SAFE_INTEGER]) {
        const newest = await alice.socket.expect('history', { type: 'history', roomId, beforeSeq: big, limit: 1 });
        expect(newest.messages.map((m) => m.seq)).toEqual([lastSeq]);
        const none = await alice.socket.expect('history', { type: 'history', roomId, afterSeq: big });
        expect(none.messages).toEqual([]);
        expect(none.hasMore).toBe(false);
      }
      const readAll = await alice.socket.expect('unread', { type: 'read', roomId, seq: 2 ** 40 });
      expect(readAll.unread).toBe(0);
      alice.socket.close();
    });

    it('a third user gets FORBIDDEN for every room action and receives nothing of the room', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const dan = await connectAs(server, 'cleaner2');
      expect(dan.ready.rooms.some((r) => r.id === roomId)).toBe(false);
      expect(await dan.socket.expectError({ type: 'send', roomId, clientId: cid(), content: 'let me in' })).toBe('FORBIDDEN');
      expect(await dan.socket.expectError({ type: 'history', roomId })).toBe('FORBIDDEN');
      expect(await dan.socket.expectError({ type: 'read', roomId, seq: 1 })).toBe('FORBIDDEN');
      expect(await dan.socket.expectError({ type: 'typing', roomId, isTyping: true })).toBe('FORBIDDEN');
      const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'private' });
      expect(await dan.socket.expectError({ type: 'edit', messageId: ack.message.id, content: 'hacked' })).toBe('FORBIDDEN');
      expect(await dan.socket.expectError({ type: 'delete', messageId: ack.message.id })).toBe('FORBIDDEN');
      alice.socket.send({ type: 'typing', roomId, isTyping: true });
      await bob.socket.next('message', (f) => f.message.id === ack.message.id);
      await bob.socket.next('typing', (f) => f.roomId === roomId);
      await dan.socket.sync();
      const leaked = dan.socket.frames.filter((f) => 'roomId' in f && f.roomId === roomId);
      expect(leaked).toEqual([]);
      expect(dan.socket.all('message')).toEqual([]);
      expect(await dan.socket.expectError({ type: 'history', roomId: 999_999 })).toBe('NOT_FOUND');
      for (const s of [alice.socket, bob.socket, dan.socket]) s.close();
    });

    it('edit and delete: sender only (support may delete), message_updated to every socket', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'typo' });
      const id = ack.message.id;
      expect(await bob.socket.expectError({ type: 'edit', messageId: id, content: 'not mine' })).toBe('FORBIDDEN');
      expect(await bob.socket.expectError({ type: 'delete', messageId: id })).toBe('FORBIDDEN');
      expect(await alice.socket.expectError({ type: 'edit', messageId: id, content: 'x'.repeat(4001) })).toBe('TOO_LARGE');
      expect(await alice.socket.expectError({ type: 'edit', messageId: id, content: '   ' })).toBe('BAD_REQUEST');
      expect(await alice.socket.expectError({ type: 'edit', messageId: 999_999, content: 'gone' })).toBe('NOT_FOUND');
      const edited = await alice.socket.expect('message_updated', { type: 'edit', messageId: id, content: 'fixed' });
      expect(edited.message).toMatchObject({ id, content: 'fixed' });
      expect(edited.message.editedAt).not.toBeNull();
      const seen = await bob.socket.next('message_updated', (f) => f.message.id === id);
      expect(seen.message.content).toBe('fixed');
      const deleted = await alice.socket.expect('message_updated', { type: 'delete', messageId: id });
      expect(deleted.message).toMatchObject({ id, content: '', attachment: null });
      expect(deleted.message.deletedAt).not.toBeNull();
      await bob.socket.next('message_updated', (f) => f.message.id === id && f.message.deletedAt !== null);
      expect(await alice.socket.expectError({ type: 'edit', messageId: id, content: 'revive' })).toBe('CONFLICT');
      // The first message of the room is a system message: nobody may edit it.
      const page = await alice.socket.expect('history', { type: 'history', roomId, afterSeq: 0, limit: 1 });
      expect(page.messages[0]!.type).toBe('system');
      expect(await alice.socket.expectError({ type: 'edit', messageId: page.messages[0]!.id, content: 'x' })).toBe('FORBIDDEN');
      alice.socket.close();
      bob.socket.close();
    });

    it('refuses too long and blank messages, and stores nothing from them', async () => {
      const alice = await connectAs(server, 'client1');
      const before = (await alice.socket.expect('history', { type: 'history', roomId, limit: 1 })).messages[0]!.seq;
      expect(await alice.socket.expectError({ type: 'send', roomId, clientId: cid(), content: 'x'.repeat(4001) })).toBe('TOO_LARGE');
      expect(await alice.socket.expectError({ type: 'send', roomId, clientId: cid(), content: '  \n ' })).toBe('BAD_REQUEST');
      // U+0000 would make PostgreSQL refuse the whole batch the send landed in (others' sends too).
      expect(await alice.socket.expectError({ type: 'send', roomId, clientId: cid(), content: 'door\u0000code' })).toBe('BAD_REQUEST');
      expect(await alice.socket.expectError({ type: 'send', roomId, clientId: `${cid()}\u0000`, content: 'hi' })).toBe('BAD_REQUEST');
      const own = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'typo' });
      expect(await alice.socket.expectError({ type: 'edit', messageId: own.message.id, content: 'x\u0000' })).toBe('BAD_REQUEST');
      const ok = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '🧽'.repeat(4000) });
      expect(ok.message.seq).toBe(before + 2);
      alice.socket.close();
    });

    it('reconnect: messages sent while away are fetched exactly once, in order, via history afterSeq', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const held = bob.ready.rooms.find((r) => r.id === roomId)!.lastSeq;
      bob.socket.close();
      await bob.socket.closed;
      const sent: Message[] = [];
      for (let i = 0; i < 7; i++) sent.push((await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid('away'), content: `while away ${i}` })).message);
      const again = await openTab(server, bob);
      const lastSeq = again.ready.rooms.find((r) => r.id === roomId)!.lastSeq;
      expect(lastSeq).toBe(sent.at(-1)!.seq);
      const fetched: Message[] = [];
      let after = held;
      for (;;) {
        const page = await again.socket.expect('history', { type: 'history', roomId, afterSeq: after, limit: 3 });
        fetched.push(...page.messages);
        if (!page.hasMore) break;
        after = page.messages.at(-1)!.seq;
      }
      expect(fetched.map((m) => m.seq)).toEqual(Array.from({ length: lastSeq - held }, (_, i) => held + 1 + i));
      expect(fetched.slice(-7).map((m) => m.id)).toEqual(sent.map((m) => m.id));
      alice.socket.close();
      again.socket.close();
    });

    it('resend after a dropped ack (socket gone mid-send) stores one message', async () => {
      const alice = await connectAs(server, 'client1');
      const clientId = cid('drop');
      alice.socket.send({ type: 'send', roomId, clientId, content: 'did this arrive?' });
      alice.socket.ws.terminate();
      await alice.socket.closed;
      const again = await openTab(server, alice);
      const ack = await again.socket.expect('ack', { type: 'send', roomId, clientId, content: 'did this arrive?' });
      const page = await again.socket.expect('history', { type: 'history', roomId, afterSeq: ack.message.seq - 3 });
      expect(page.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
      again.socket.close();
    });

    it('replies carry a reference to the replied message; a reply across rooms is refused', async () => {
      const alice = await connectAs(server, 'client1');
      const original = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'What time works?' });
      const reply = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '9 am', replyToId: original.message.id });
      expect(reply.message.replyTo).toMatchObject({ id: original.message.id, seq: original.message.seq, excerpt: 'What time works?' });
      expect(reply.message.replyTo?.sender?.username).toBe('client1');
      // Cut after 100 UTF-16 units, an emoji across the cut left half of it: a lone surrogate in the
      // frame, which strict JSON readers refuse. The cut keeps whole characters.
      const emoji = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: `a${'😀'.repeat(60)}` });
      const quoted = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'ha', replyToId: emoji.message.id });
      expect(quoted.message.replyTo?.excerpt).toBe(`a${'😀'.repeat(49)}`);
      const support = await fetch(`${server.url}/api/support`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}` } });
      const other = ((await support.json()) as { room: { id: number } }).room.id;
      const code = await alice.socket.expectError({ type: 'send', roomId: other, clientId: cid(), content: 'x', replyToId: original.message.id });
      expect(code).toBe('BAD_REQUEST');
      alice.socket.close();
    });

    it('many concurrent senders: seqs continue 1..N with no gap or repeat', async () => {
      const alice = await connectAs(server, 'client1');
      const aliceTab = await openTab(server, alice);
      const bob = await connectAs(server, 'cleaner1');
      const start = (await alice.socket.expect('history', { type: 'history', roomId, limit: 1 })).messages[0]!.seq;
      const sockets = [alice.socket, aliceTab.socket, bob.socket];
      const acks = await Promise.all(
        Array.from({ length: 90 }, (_, i) => sockets[i % 3]!.expect('ack', { type: 'send', roomId, clientId: cid('burst'), content: `burst ${i}` })),
      );
      const seqs = acks.map((a) => a.message.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 90 }, (_, i) => start + 1 + i));
      for (const s of sockets) s.close();
    });
  });
}

describe('send limits', () => {
  const server = serverForSuite({ config: { limits: { sendRateLimit: 5, sendRateWindowMs: 60_000 } } });

  it('RATE_LIMITED beyond the per-user limit, with nothing stored', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    const start = (await alice.socket.expect('history', { type: 'history', roomId, limit: 1 })).messages[0]!.seq;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => alice.socket.request('ack', { type: 'send', roomId, clientId: cid('rl'), content: `n${i}` })),
    );
    expect(answers.filter((a) => a.type === 'ack')).toHaveLength(5);
    expect(answers.filter((a) => a.type === 'error').map((a) => (a.type === 'error' ? a.code : ''))).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    const latest = await alice.socket.expect('history', { type: 'history', roomId, limit: 1 });
    expect(latest.messages[0]!.seq).toBe(start + 5);
    alice.socket.close();
  });

  it('a retry of a stored send is still answered with its ack once the limit is reached (the ack was lost, not the message)', async () => {
    // Bob: client1 used up the limit in the test before.
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const stored = await bob.socket.expect('ack', { type: 'send', roomId, clientId: 'kept-1', content: 'gate code 2231' });
    for (let i = 0; i < 4; i++) await bob.socket.expect('ack', { type: 'send', roomId, clientId: cid('fill'), content: `n${i}` });
    expect(await bob.socket.expectError({ type: 'send', roomId, clientId: cid('new'), content: 'one too many' })).toBe('RATE_LIMITED');
    const retried = await bob.socket.expect('ack', { type: 'send', roomId, clientId: 'kept-1', content: 'gate code 2231' });
    expect(retried.message).toEqual(stored.message);
    expect(await bob.socket.expectError({ type: 'send', roomId, clientId: cid('new'), content: 'still too many' })).toBe('RATE_LIMITED');
    bob.socket.close();
  });
});

describe('frames in flight', () => {
  const server = serverForSuite();

  it('thousands of frames written in one go are all served, each once and in order; none is refused', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    // Written faster than history pages are read: the server stops reading the socket while too many
    // wait (TCP holds the rest back) instead of answering the excess RATE_LIMITED.
    const answers = await Promise.all(Array.from({ length: 3000 }, () => alice.socket.request('history', { type: 'history', roomId, limit: 1 })));
    expect(new Set(answers.map((a) => a.type))).toEqual(new Set(['history']));
    const refs = answers.map((a) => a.ref);
    expect(alice.socket.all('history').map((h) => h.ref)).toEqual(refs);
    // Small frames many to a read (a few bytes each): the same.
    const pongs = await Promise.all(Array.from({ length: 5000 }, () => alice.socket.request('pong', { type: 'ping' })));
    expect(pongs.filter((p) => p.type !== 'pong')).toEqual([]);
    expect(alice.socket.all('error')).toEqual([]);
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'after the burst' });
    expect(ack.message.content).toBe('after the burst');
    alice.socket.close();
  });
});

describe('closed rooms', () => {
  const server = serverForSuite({ config: { roomCloseGraceMs: 0 } });

  it('ROOM_CLOSED for sends once the job is done, while history and read still work', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    const jobId = server.demo!.assignedJobId;
    const sentBefore = (await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid('before'), content: 'Key left with the neighbour' })).message;
    for (const status of ['in_progress', 'completed']) {
      const res = await fetch(`${server.url}/api/jobs/${jobId}/status`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ status }),
      });
      expect(res.status).toBe(200);
    }
    await alice.socket.next('room', (f) => f.room.id === roomId && !f.room.isActive);
    await alice.socket.sync();
    // The closed room leaves the total at once (its own count stays, for the room list).
    const counts = alice.socket.all('unread').filter((f) => f.roomId === roomId);
    expect(counts.at(-1)).toMatchObject({ unread: 2, totalUnread: 0 });
    expect(await alice.socket.expectError({ type: 'send', roomId, clientId: cid(), content: 'too late' })).toBe('ROOM_CLOSED');
    // A send stored before the room closed, retried after (its ack was lost), is answered with it.
    const retried = await alice.socket.expect('ack', { type: 'send', roomId, clientId: sentBefore.clientId, content: sentBefore.content });
    expect(retried.message).toEqual(sentBefore);
    const page = await alice.socket.expect('history', { type: 'history', roomId });
    expect(page.messages.at(-1)!.content).toContain('Completed');
    alice.socket.send({ type: 'read', roomId, seq: page.messages.at(-1)!.seq });
    await alice.socket.next('unread', (f) => f.roomId === roomId && f.unread === 0);
    alice.socket.close();
  });
});

