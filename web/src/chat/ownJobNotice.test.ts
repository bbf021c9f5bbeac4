import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { HttpChatError } from '@ecc/client';
import { moveJob } from './ownJobNotice.ts';
import { roomMessagesOf } from './store.ts';
import { firstNewSeq } from './unreadMarker.ts';
import { fakeChat } from '../test/fakeTransport.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

const job: Job = { id: 1, title: 'Deep clean', status: 'cancelled', clientId: alice.id, cleanerId: bob.id, roomId: 1 };

/** Alice, who has read room 1 up to its newest message (seq 5). */
function aliceUpToDate() {
  const { chat, transport } = fakeChat();
  const read = room(1, { lastSeq: 5, unread: 0, participants: [participant(alice, { lastReadSeq: 5 }), participant(bob, { lastReadSeq: 5 })] });
  transport.emit('ready', { user: alice, rooms: [read], totalUnread: 0 });
  return { chat, transport };
}

describe('the notice of my own job move', () => {
  it('is read for me when it arrives before its unread count (the count comes in a frame of its own)', async () => {
    const { chat, transport } = aliceUpToDate();
    const notice = message(1, 6, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' });
    await moveJob(chat, 1, 'cancelled', () => {
      transport.emit('message', { message: notice });
      return Promise.resolve(job);
    });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 6 }]);
  });

  it('is read for me when its unread count came first', async () => {
    const { chat, transport } = aliceUpToDate();
    await moveJob(chat, 1, 'cancelled', () => {
      transport.emit('message', { message: message(1, 6, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
      transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
      return Promise.resolve(job);
    });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 6 }]);
  });

  it("leaves someone else's message that came with it unread", async () => {
    const { chat, transport } = aliceUpToDate();
    await moveJob(chat, 1, 'cancelled', () => {
      transport.emit('message', { message: message(1, 6, bob, { content: 'On my way!' }) });
      transport.emit('message', { message: message(1, 7, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
      transport.emit('unread', { roomId: 1, unread: 2, totalUnread: 2 });
      return Promise.resolve(job);
    });
    expect(transport.reads).toEqual([]);
  });

  it('is read for me when what came after my read mark was my own message (own messages move no read mark)', async () => {
    const { chat, transport } = fakeChat();
    // Alice read up to Bob's seq 4, then wrote seq 5 herself: her mark stays at 4, her count is 0.
    const mine = message(1, 5, alice, { content: 'See you at 2' });
    const read = room(1, { lastSeq: 5, unread: 0, lastMessage: mine, participants: [participant(alice, { lastReadSeq: 4 }), participant(bob, { lastReadSeq: 5 })] });
    transport.emit('ready', { user: alice, rooms: [read], totalUnread: 0 });
    await moveJob(chat, 1, 'cancelled', () => {
      transport.emit('message', { message: message(1, 6, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
      transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
      return Promise.resolve(job);
    });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 6 }]);
  });

  it('is read for me when I had just answered in the room from this tab (my answer stored, no count came for it)', async () => {
    const { chat, transport } = aliceUpToDate();
    chat.sendMessage(1, 'See you at 2');
    transport.sent[0]?.resolve(message(1, 6, alice, { clientId: 'cid-1', content: 'See you at 2' }));
    await Promise.resolve();
    await moveJob(chat, 1, 'cancelled', () => {
      // The job's room changes with it: its frame carries the server's mark, which my answer did not move.
      const cancelled = room(1, { lastSeq: 6, job: { ...job, status: 'cancelled' }, participants: [participant(alice, { lastReadSeq: 5 }), participant(bob, { lastReadSeq: 6 })] });
      transport.emit('room', { room: cancelled });
      transport.emit('message', { message: message(1, 7, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
      transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
      return Promise.resolve(job);
    });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 7 }]);
    expect(chat.state.totalUnread).toBe(0);
  });

  it("stays unread when the newest message before it was someone else's, unread", async () => {
    const { chat, transport } = fakeChat();
    const theirs = message(1, 5, bob, { content: 'On my way!' });
    const unread = room(1, { lastSeq: 5, unread: 1, lastMessage: theirs, participants: [participant(alice, { lastReadSeq: 4 }), participant(bob, { lastReadSeq: 5 })] });
    transport.emit('ready', { user: alice, rooms: [unread], totalUnread: 1 });
    await moveJob(chat, 1, 'cancelled', () => {
      transport.emit('message', { message: message(1, 6, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
      transport.emit('unread', { roomId: 1, unread: 2, totalUnread: 2 });
      return Promise.resolve(job);
    });
    expect(transport.reads).toEqual([]);
  });

  it('gets no "New messages" line in the room open on screen, scrolled up to older ones', async () => {
    const { chat, transport, line } = await aliceScrolledUp();
    await moveJob(chat, 1, 'cancelled', () => {
      // The notice comes on the socket before the answer: unseen, as the reader is scrolled up.
      transport.emit('message', { message: message(1, 11, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
      transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
      return Promise.resolve(job);
    });
    expect(transport.reads).toContainEqual({ roomId: 1, seq: 11 });
    expect(line()).toBeNull();
  });

  it('gets no "New messages" line even for a moment: none is drawn at any step from its arrival to its read', async () => {
    const { chat, transport, line } = await aliceScrolledUp();
    // Every state the list could draw: the line flashing above the notice, then gone, is one of them.
    const lines: (number | null)[] = [];
    chat.store.subscribe(() => lines.push(line()));
    await moveJob(chat, 1, 'cancelled', () => {
      transport.emit('message', { message: message(1, 11, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
      transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
      return Promise.resolve(job);
    });
    expect(transport.reads).toContainEqual({ roomId: 1, seq: 11 });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((seq) => seq !== null)).toEqual([]);
  });

  it('gets no "New messages" line in its room opened after it came, before the answer (it is not read for me yet)', async () => {
    const { chat, transport } = aliceUpToDate();
    let answer: (job: Job) => void = () => {};
    const moved = moveJob(chat, 1, 'cancelled', () => new Promise<Job>((resolve) => (answer = resolve)));
    transport.emit('message', { message: message(1, 6, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    chat.openRoom(1);
    expect(chat.state.unreadMarker).toBeNull();
    answer(job);
    await moved;
    expect(transport.reads).toEqual([{ roomId: 1, seq: 6 }]);
  });
});

/** Alice with room 1 (Bob's messages 1–10, all read) open on screen, scrolled up to older ones. */
async function aliceScrolledUp() {
  const { chat, transport } = fakeChat();
  const seen = Array.from({ length: 10 }, (_, i) => message(1, i + 1, bob));
  transport.historyAnswer = () => ({ messages: seen, hasMore: false });
  const participants = [participant(alice, { lastReadSeq: 10 }), participant(bob, { lastReadSeq: 10 })];
  transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 10, lastMessage: seen[9], participants })], totalUnread: 0 });
  chat.togglePanel(true);
  chat.openRoom(1);
  await new Promise((r) => setTimeout(r, 0));
  chat.setAtLatest(false);
  return { chat, transport, line: () => firstNewSeq(roomMessagesOf(chat.state, 1).messages, chat.state.unreadMarker, 1, alice.id) };
}

describe("Bob's job move made at the same moment as mine", () => {
  it.each([
    ['another status (he started it as I cancelled)', 'Status changed to In progress by Bob Cleaner'],
    ['the same status (we both cancelled)', 'Status changed to Cancelled by Bob Cleaner'],
  ])('won over mine, to %s: his notice, in the seq mine was expected at, gets its "New messages" line and stays unread', async (_, words) => {
    const { chat, transport, line } = await aliceScrolledUp();
    const moved = moveJob(chat, 1, 'cancelled', () => {
      transport.emit('message', { message: message(1, 11, null, { type: 'system', content: words }) });
      transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
      return Promise.reject(new HttpChatError('CONFLICT', 'The job is no longer assigned: someone else changed it meanwhile', 409));
    });
    await expect(moved).rejects.toThrow('someone else changed it');
    expect(line()).toBe(11);
    expect(transport.reads).toEqual([]);
    expect(chat.state.ownNotices).toEqual([]);
  });

  it('landed just before mine (mine allowed from his status): his notice is not read for me when my answer overtakes my own notice', async () => {
    const { chat, transport, line } = await aliceScrolledUp();
    await moveJob(chat, 1, 'cancelled', () => {
      transport.emit('message', { message: message(1, 11, null, { type: 'system', content: 'Status changed to In progress by Bob Cleaner' }) });
      transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
      return Promise.resolve(job);
    });
    transport.emit('message', { message: message(1, 12, null, { type: 'system', content: 'Status changed to Cancelled by Alice Client' }) });
    transport.emit('unread', { roomId: 1, unread: 2, totalUnread: 2 });
    expect(line()).toBe(11);
    expect(transport.reads).toEqual([]);
  });
});
