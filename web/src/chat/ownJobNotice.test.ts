import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Message, User } from '@ecc/protocol';
import { NOTIFY_DELAY_MS } from './newMessageNotification.ts';
import { roomMessagesOf } from './store.ts';
import { firstNewSeq, unreadFromLine } from './unreadMarker.ts';
import { fakeChat } from '../test/fakeTransport.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

/** The notice of `mover` cancelling room 1's job, as the server sends it live: seq `seq`, its actorId theirs. */
function cancelledBy(mover: User, seq: number, status = 'Cancelled'): Message {
  return message(1, seq, null, { content: `Status changed to ${status} by ${mover.displayName}`, actorId: mover.id });
}

/** Alice, who has read room 1 up to its newest message (seq 5). */
function aliceUpToDate() {
  const { chat, transport, env } = fakeChat();
  const read = room(1, { lastSeq: 5, unread: 0, participants: [participant(alice, { lastReadSeq: 5 }), participant(bob, { lastReadSeq: 5 })] });
  transport.emit('ready', { user: alice, rooms: [read], totalUnread: 0 });
  return { chat, transport, env };
}

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

afterEach(() => {
  vi.useRealTimers();
});

describe('the notice of my own job move (its actorId mine)', () => {
  it('is read for me when its unread count comes (in a frame of its own, after it)', () => {
    const { chat, transport } = aliceUpToDate();
    transport.emit('message', { message: cancelledBy(alice, 6) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 6 }]);
    expect(chat.state.totalUnread).toBe(0);
  });

  it("leaves someone else's message that came with it unread", () => {
    const { transport } = aliceUpToDate();
    transport.emit('message', { message: message(1, 6, bob, { content: 'On my way!' }) });
    transport.emit('message', { message: cancelledBy(alice, 7) });
    transport.emit('unread', { roomId: 1, unread: 2, totalUnread: 2 });
    expect(transport.reads).toEqual([]);
  });

  it('is read for me when what came after my read mark was my own message (own messages move no read mark)', () => {
    const { transport } = fakeChat();
    // Alice read up to Bob's seq 4, then wrote seq 5 herself: her mark stays at 4, her count is 0.
    const mine = message(1, 5, alice, { content: 'See you at 2' });
    const read = room(1, { lastSeq: 5, unread: 0, lastMessage: mine, participants: [participant(alice, { lastReadSeq: 4 }), participant(bob, { lastReadSeq: 5 })] });
    transport.emit('ready', { user: alice, rooms: [read], totalUnread: 0 });
    transport.emit('message', { message: cancelledBy(alice, 6) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 6 }]);
  });

  it('is read for me when I had just answered in the room from this tab (my answer stored, no count came for it)', async () => {
    const { chat, transport } = aliceUpToDate();
    chat.sendMessage(1, 'See you at 2');
    transport.sent[0]?.resolve(message(1, 6, alice, { clientId: 'cid-1', content: 'See you at 2' }));
    await Promise.resolve();
    // The job's room changes with it: its frame carries the server's mark, which my answer did not move.
    const cancelled = room(1, { lastSeq: 6, job: { id: 1, title: 'Deep clean', status: 'cancelled' }, participants: [participant(alice, { lastReadSeq: 5 }), participant(bob, { lastReadSeq: 6 })] });
    transport.emit('room', { room: cancelled });
    transport.emit('message', { message: cancelledBy(alice, 7) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 7 }]);
    expect(chat.state.totalUnread).toBe(0);
  });

  it('is read for me when my own message, sent just before the click, took the seq after my read mark first', async () => {
    // A guess of the notice's seq as the move began (the newest + 1) was wrong here: the notice came one later.
    const { chat, transport, line } = await aliceScrolledUp();
    chat.sendMessage(1, 'Cancelling, sorry');
    transport.sent[0]?.resolve(message(1, 11, alice, { clientId: 'cid-1', content: 'Cancelling, sorry' }));
    await Promise.resolve();
    transport.emit('message', { message: cancelledBy(alice, 12) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(transport.reads).toContainEqual({ roomId: 1, seq: 12 });
    expect(line()).toBeNull();
    expect(chat.state.totalUnread).toBe(0);
  });

  it("stays unread when the newest message before it was someone else's, unread", () => {
    const { transport } = fakeChat();
    const theirs = message(1, 5, bob, { content: 'On my way!' });
    const unread = room(1, { lastSeq: 5, unread: 1, lastMessage: theirs, participants: [participant(alice, { lastReadSeq: 4 }), participant(bob, { lastReadSeq: 5 })] });
    transport.emit('ready', { user: alice, rooms: [unread], totalUnread: 1 });
    transport.emit('message', { message: cancelledBy(alice, 6) });
    transport.emit('unread', { roomId: 1, unread: 2, totalUnread: 2 });
    expect(transport.reads).toEqual([]);
  });

  it("stays unread when a count of 0 that lagged Bob's message had moved my mark past it (a read would tell Bob I saw it)", () => {
    const { chat, transport } = aliceUpToDate();
    // My phone read up to 5; Bob's message 6 reaches this tab before that read's count (0, computed before 6).
    transport.emit('message', { message: message(1, 6, bob, { content: 'The key is under the mat' }) });
    transport.emit('unread', { roomId: 1, unread: 0, totalUnread: 0 });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    // Later I cancel the job from another device, the room not open here: my notice 7 and its count.
    transport.emit('message', { message: cancelledBy(alice, 7) });
    transport.emit('unread', { roomId: 1, unread: 2, totalUnread: 2 });
    expect(transport.reads).toEqual([]);
    expect(chat.state.totalUnread).toBe(2);
  });

  it('gets no "New messages" line even for a moment: none is drawn at any step from its arrival to its read', async () => {
    const { chat, transport, line } = await aliceScrolledUp();
    // Every state the list could draw: the line flashing above the notice, then gone, is one of them.
    const lines: (number | null)[] = [];
    chat.store.subscribe(() => lines.push(line()));
    transport.emit('message', { message: cancelledBy(alice, 11) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(transport.reads).toContainEqual({ roomId: 1, seq: 11 });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((seq) => seq !== null)).toEqual([]);
  });

  it.each([
    ['before its count', false],
    ['after its count', true],
  ])('gets no "New messages" line in its room opened after it came, %s', (_, countFirst) => {
    const { chat, transport } = aliceUpToDate();
    const count = () => transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    transport.emit('message', { message: cancelledBy(alice, 6) });
    if (countFirst) count();
    chat.openRoom(1);
    expect(chat.state.unreadMarker).toBeNull();
    if (!countFirst) count();
    expect(transport.reads).toEqual([{ roomId: 1, seq: 6 }]);
  });

  it('gets no "New messages" line in the room open on screen, scrolled up, and is read for me: whichever of my tabs or devices moved the job', async () => {
    const { transport, line } = await aliceScrolledUp();
    transport.emit('message', { message: cancelledBy(alice, 11) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(line()).toBeNull();
    expect(transport.reads).toEqual([{ roomId: 1, seq: 11 }]);
  });

  it('brings no browser notification to a hidden tab, whether or not I had read everything before it', () => {
    const { transport, env } = aliceUpToDate();
    env.visible = false;
    vi.useFakeTimers();
    transport.emit('message', { message: cancelledBy(alice, 6) });
    transport.emit('message', { message: message(1, 7, bob, { content: 'Oh no, why?' }) });
    transport.emit('message', { message: cancelledBy(alice, 8, 'Completed') });
    transport.emit('unread', { roomId: 1, unread: 3, totalUnread: 3 });
    vi.advanceTimersByTime(NOTIFY_DELAY_MS);
    expect(env.notifications.map((n) => n.body)).toEqual(['Bob Cleaner: Oh no, why?']);
  });

  it('is not counted under the "New messages" line with the news that came before it', () => {
    const held = [message(1, 10, bob), message(1, 11, bob, { content: 'On my way!' }), cancelledBy(alice, 12), cancelledBy(bob, 13, 'In progress')];
    expect(unreadFromLine(held, 11, alice.id)).toBe(2);
    expect(firstNewSeq(held, { roomId: 1, afterSeq: 10, unread: 3, far: false }, 1, alice.id)).toBe(11);
    expect(firstNewSeq(held.slice(1), { roomId: 1, afterSeq: 11, unread: 2, far: false }, 1, alice.id)).toBe(13);
  });

  it("of the job I accepted, the new room's first, is read for me once: its room frame counts it, then it comes, then its count", () => {
    const { chat, transport } = fakeChat();
    transport.emit('ready', { user: bob, rooms: [], totalUnread: 0 });
    const accepted = message(3, 1, null, { content: 'Bob Cleaner accepted the job', actorId: bob.id });
    const participants = [participant(alice), participant(bob)];
    transport.emit('room', { room: room(3, { lastSeq: 1, unread: 1, lastMessage: accepted, participants }) });
    transport.emit('message', { message: accepted });
    transport.emit('unread', { roomId: 3, unread: 1, totalUnread: 1 });
    expect(transport.reads).toEqual([{ roomId: 3, seq: 1 }]);
    // The server's answer to that read.
    transport.emit('unread', { roomId: 3, unread: 0, totalUnread: 0 });
    expect(chat.state.totalUnread).toBe(0);
  });

  it('after a reconnect, moved while this tab was away (in another app), is read for me if I had read all before it', () => {
    const { transport } = fakeChat();
    const notice = cancelledBy(alice, 6);
    const participants = [participant(alice, { lastReadSeq: 5 }), participant(bob, { lastReadSeq: 5 })];
    transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 6, unread: 1, lastMessage: notice, participants }), room(2, { lastSeq: 3, unread: 1, lastMessage: message(2, 3, bob), participants })], totalUnread: 2 });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 6 }]);
  });
});

describe('a notice that is not mine', () => {
  it('without an actorId (stored before the server recorded its mover) is news, as it was', async () => {
    const { transport, line } = await aliceScrolledUp();
    transport.emit('message', { message: message(1, 11, null, { content: 'Status changed to Cancelled by Alice Client' }) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(line()).toBe(11);
    expect(transport.reads).toEqual([]);
  });
});

describe("Bob's job move made at the same moment as mine", () => {
  it.each([
    ['another status (he started it as I cancelled)', 'In progress'],
    ['the same status (we both cancelled)', 'Cancelled'],
  ])('won over mine, to %s: his notice, in the seq mine was expected at, gets its "New messages" line and stays unread', async (_, status) => {
    const { transport, line } = await aliceScrolledUp();
    transport.emit('message', { message: cancelledBy(bob, 11, status) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(line()).toBe(11);
    expect(transport.reads).toEqual([]);
  });

  it('landed just before mine (mine allowed from his status): his notice stays unread, mine is not news', async () => {
    const { chat, transport, line } = await aliceScrolledUp();
    transport.emit('message', { message: cancelledBy(bob, 11, 'In progress') });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    transport.emit('message', { message: cancelledBy(alice, 12) });
    transport.emit('unread', { roomId: 1, unread: 2, totalUnread: 2 });
    expect(line()).toBe(11);
    expect(transport.reads).toEqual([]);
    expect(unreadFromLine(roomMessagesOf(chat.state, 1).messages, 11, alice.id)).toBe(1);
  });
});
