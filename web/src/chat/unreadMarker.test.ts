import { describe, expect, it } from 'vitest';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from './store.ts';
import { CONTEXT_ABOVE_FIRST_NEW, FIRST_NEW_REACH, firstNewSeq, loadingToFirstNew, unreadFromLine } from './unreadMarker.ts';
import { FetchStatus } from './fetchStatus.ts';
import type { Room, User } from '@ecc/protocol';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';
import { fakeChat } from '../test/fakeTransport.ts';

function run(...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, initialChatState);
}

// Alice read room 1 up to seq 4 of 9; room 2 has nothing unread.
const ready: ChatAction = {
  type: 'ready',
  user: alice,
  rooms: [room(1, { lastSeq: 9, unread: 4, participants: [participant(alice, { lastReadSeq: 4 }), participant(bob)] }), room(2)],
  totalUnread: 4,
};

describe('the "New messages" line', () => {
  it('is taken from my read mark when a room with unread messages is shown, and dropped when it is left or hidden', () => {
    let s = run(ready, { type: 'panel', open: true }, { type: 'open_room', roomId: 1 });
    expect(s.unreadMarker).toEqual({ roomId: 1, afterSeq: 4, unread: 4, far: false });
    // Reading it (which opening does) does not move the line while the room stays shown.
    s = chatReducer(s, { type: 'read_locally', roomId: 1, seq: 9 });
    expect(s.unreadMarker).toEqual({ roomId: 1, afterSeq: 4, unread: 4, far: false });
    expect(chatReducer(s, { type: 'open_room', roomId: null }).unreadMarker).toBeNull();
    expect(chatReducer(s, { type: 'panel', open: false }).unreadMarker).toBeNull();
    expect(run(ready, { type: 'panel', open: true }, { type: 'open_room', roomId: 2 }).unreadMarker).toBeNull();
  });

  it('is taken when the panel opens on the room it last showed', () => {
    const s = run(ready, { type: 'open_room', roomId: 1 });
    expect(s.unreadMarker).toBeNull();
    expect(chatReducer(s, { type: 'panel', open: true }).unreadMarker).toEqual({ roomId: 1, afterSeq: 4, unread: 4, far: false });
  });

  it('is not above the messages read on another tab meanwhile', () => {
    // Alice's other tab reads all nine (the server counts 0 here too), then Bob writes the tenth.
    const s = run(
      ready,
      { type: 'unread', roomId: 1, unread: 0, totalUnread: 0 },
      { type: 'message', message: message(1, 10, bob) },
      { type: 'unread', roomId: 1, unread: 1, totalUnread: 1 },
      { type: 'panel', open: true },
      { type: 'open_room', roomId: 1 },
    );
    expect(s.unreadMarker).toEqual({ roomId: 1, afterSeq: 9, unread: 1, far: false });
  });

  it('is not above what this tab read when the room changes with a mark read before that read', () => {
    // Alice reads all nine here. The job moves meanwhile: its room frame, read by the server just
    // before her read, carries her mark as it was (4) with the count after it (0). Then Bob writes.
    const started = room(1, { lastSeq: 9, job: { id: 1, title: 'Deep clean', status: 'in_progress' }, participants: [participant(alice, { lastReadSeq: 4 }), participant(bob)] });
    const s = run(
      ready,
      { type: 'read_locally', roomId: 1, seq: 9 },
      { type: 'room', room: started },
      { type: 'message', message: message(1, 10, bob) },
      { type: 'unread', roomId: 1, unread: 1, totalUnread: 1 },
      { type: 'panel', open: true },
      { type: 'open_room', roomId: 1 },
    );
    expect(s.unreadMarker).toEqual({ roomId: 1, afterSeq: 9, unread: 1, far: false });
  });

  it("goes above the first message after the mark that is not my own", () => {
    const messages = [message(1, 4, bob), message(1, 5, alice), message(1, 6, bob), message(1, 7, bob)];
    const marker = { roomId: 1, afterSeq: 4, unread: 2, far: false };
    expect(firstNewSeq(messages, marker, 1, alice.id)).toBe(6);
    expect(firstNewSeq(messages, { ...marker, roomId: 2 }, 1, alice.id)).toBeNull();
    expect(firstNewSeq(messages, null, 1, alice.id)).toBeNull();
    // The loaded page starts after the first new message: no line until older pages reach it.
    expect(firstNewSeq(messages.slice(2), marker, 1, alice.id)).toBeNull();
    expect(firstNewSeq(messages.slice(1), marker, 1, alice.id)).toBe(6);
  });

  it('is far (the room opens at the newest) when the first new message is more than FIRST_NEW_REACH messages back, or out of reach', () => {
    const behind = (n: number): ChatAction => ({
      type: 'ready',
      user: alice,
      rooms: [room(1, { lastSeq: 10 + n, unread: n, participants: [participant(alice, { lastReadSeq: 10 }), participant(bob)] })],
      totalUnread: n,
    });
    const shown = (n: number) => run(behind(n), { type: 'panel', open: true }, { type: 'open_room', roomId: 1 });
    expect(shown(FIRST_NEW_REACH).unreadMarker).toEqual({ roomId: 1, afterSeq: 10, unread: FIRST_NEW_REACH, far: false });
    expect(shown(FIRST_NEW_REACH + 1).unreadMarker).toEqual({ roomId: 1, afterSeq: 10, unread: FIRST_NEW_REACH + 1, far: true });
    // A page on the way failed: the same, for the room still shown only.
    expect(chatReducer(shown(80), { type: 'first_new_unreachable', roomId: 1 }).unreadMarker?.far).toBe(true);
    const other = shown(80);
    expect(chatReducer(other, { type: 'first_new_unreachable', roomId: 2 })).toBe(other);
  });
});

describe('opening at the "New messages" line', () => {
  const marker = { roomId: 1, afterSeq: 80, unread: 120, far: false };
  const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(1, from + i, bob));
  const loaded = FetchStatus.empty.startInitial().finishInitial(true);

  it('waits for the older pages while the loaded window starts after the first new message', () => {
    expect(loadingToFirstNew({ messages: seqs(151, 200), pending: [], fetch: loaded }, marker, 1)).toBe(true);
    // Messages that came in live before the first page: still the newest, not the line.
    expect(loadingToFirstNew({ messages: seqs(199, 200), pending: [], fetch: FetchStatus.empty }, marker, 1)).toBe(true);
    // Even when they reach back to the line (the ones before it read on another tab): the page comes first.
    expect(loadingToFirstNew({ messages: seqs(78, 200), pending: [], fetch: FetchStatus.empty.startInitial() }, marker, 1)).toBe(true);
    // The line and CONTEXT_ABOVE_FIRST_NEW read messages above it.
    expect(loadingToFirstNew({ messages: seqs(81, 200), pending: [], fetch: loaded }, marker, 1)).toBe(true);
    expect(loadingToFirstNew({ messages: seqs(81 - CONTEXT_ABOVE_FIRST_NEW, 200), pending: [], fetch: loaded }, marker, 1)).toBe(false);
  });

  it('does not wait when there is no line to open at, it is far, or the pages cannot come', () => {
    const rm = { messages: seqs(151, 200), pending: [], fetch: loaded };
    expect(loadingToFirstNew(rm, null, 1)).toBe(false);
    expect(loadingToFirstNew(rm, { ...marker, roomId: 2 }, 1)).toBe(false);
    expect(loadingToFirstNew(rm, { ...marker, far: true }, 1)).toBe(false);
    expect(loadingToFirstNew({ ...rm, fetch: FetchStatus.empty.startInitial().failed() }, marker, 1)).toBe(false);
    expect(loadingToFirstNew({ ...rm, fetch: FetchStatus.empty.startInitial().finishInitial(false) }, marker, 1)).toBe(false);
  });
});

describe('a room I opened myself', () => {
  const sam: User = { id: 3, username: 'support1', displayName: 'Sam Support', role: 'support' };
  const greeting = message(7, 1, null, { content: 'Sam Support from support will help you here' });
  /** Alice's support room with Sam: the greeting, then `replies` from Sam; `aliceRead` is her read mark. */
  const support = (replies: number, aliceRead = 0) =>
    room(7, {
      type: 'support',
      name: 'Support · Alice Client',
      job: null,
      participants: [participant(alice, { lastReadSeq: aliceRead }), participant(sam)],
      lastSeq: 1 + replies,
      unread: 1 + replies - aliceRead,
      lastMessage: replies > 0 ? message(7, 1 + replies, sam) : greeting,
    });
  const shownTo = (user: User, r: Room) => run({ type: 'ready', user, rooms: [r], totalUnread: r.unread }, { type: 'panel', open: true }, { type: 'open_room', roomId: r.id }).unreadMarker;

  it('has no "New messages" line above the greeting of the support room I contacted (POST /api/support), for the agent it has', () => {
    expect(shownTo(alice, support(0))).toBeNull();
    expect(shownTo(sam, { ...support(0), unread: 1 })).toEqual({ roomId: 7, afterSeq: 0, unread: 1, far: false });
  });

  it('still has the line above the agent’s replies I have not read, below the greeting', () => {
    // The greeting is not held when the room is shown (its last message is a reply): its words decide once it is.
    const marker = shownTo(alice, support(2));
    const held = [greeting, message(7, 2, sam), message(7, 3, sam)];
    expect(firstNewSeq(held, marker, 7, alice.id)).toBe(2);
    expect(unreadFromLine(held, 2, alice.id)).toBe(2);
    // Read up to the first reply: the line goes above the second, as before.
    expect(shownTo(alice, support(2, 2))).toEqual({ roomId: 7, afterSeq: 2, unread: 1, far: false });
  });

  // Staff reached her first ("Message client" on a job card: POST /api/support {userId}): the greeting is news.
  const started = message(7, 1, null, { content: 'Sam Support from support started this conversation' });
  const startedBySam = (replies: number) => ({ ...support(replies), lastMessage: replies > 0 ? message(7, 1 + replies, sam) : started });

  it('has the line above the greeting of a support room staff started, the greeting alone in it', () => {
    const marker = shownTo(alice, startedBySam(0));
    expect(marker).toMatchObject({ roomId: 7, afterSeq: 0, unread: 1 });
    expect(firstNewSeq([started], marker, 7, alice.id)).toBe(1);
  });

  it('has the line above the greeting of a support room staff started, with the agent’s message after it (the greeting not held when shown)', () => {
    const marker = shownTo(alice, startedBySam(1));
    const held = [started, message(7, 2, sam)];
    expect(firstNewSeq(held, marker, 7, alice.id)).toBe(1);
    expect(unreadFromLine(held, 1, alice.id)).toBe(2);
  });

  it('leaves my own greeting out of the count on the way up to a line too far back, its words read when it was not held as the room was shown', async () => {
    // Alice's own support room, 600 of Sam's replies she never read: the line is too far back to load to.
    const flush = () => new Promise((r) => setTimeout(r, 0));
    for (const [opening, unread] of [[greeting, 600], [started, 601]] as const) {
      const { chat, transport } = fakeChat();
      const replies = Array.from({ length: 50 }, (_, i) => message(7, 552 + i, sam));
      transport.historyAnswer = (q) => (q.beforeSeq === 2 ? { messages: [opening], hasMore: false } : { messages: replies, hasMore: true });
      transport.emit('ready', { user: alice, rooms: [{ ...support(600), lastMessage: replies.at(-1) ?? null }], totalUnread: 601 });
      chat.openRoom(7);
      await flush();
      await flush();
      expect(chat.state.unreadMarker).toMatchObject({ roomId: 7, far: true, unread });
    }
  });

  it("counts another agent's greeting (its actorId theirs) as news to a namesake on the way up to a line too far back", async () => {
    const samToo: User = { id: 5, username: 'support3', displayName: 'Sam Support', role: 'support' };
    const flush = () => new Promise((r) => setTimeout(r, 0));
    for (const [user, unread] of [[samToo, 601], [sam, 600]] as const) {
      const { chat, transport } = fakeChat();
      const replies = Array.from({ length: 50 }, (_, i) => message(7, 552 + i, alice));
      transport.historyAnswer = (q) => (q.beforeSeq === 2 ? { messages: [{ ...started, actorId: sam.id }], hasMore: false } : { messages: replies, hasMore: true });
      const r = { ...support(600), participants: [participant(alice), participant(sam), participant(samToo)], lastMessage: replies.at(-1) ?? null };
      transport.emit('ready', { user, rooms: [r], totalUnread: 601 });
      chat.openRoom(7);
      await flush();
      await flush();
      expect(chat.state.unreadMarker).toMatchObject({ roomId: 7, far: true, unread });
    }
  });

  it('has no line above "<cleaner> accepted the job" for the cleaner who accepted it; the client has it', () => {
    const accepted = room(8, { job: { id: 8, title: 'Deep clean', status: 'assigned', clientId: alice.id, cleanerId: bob.id }, lastSeq: 1, unread: 1, lastMessage: message(8, 1, null) });
    expect(shownTo(bob, accepted)).toBeNull();
    expect(shownTo(alice, accepted)).toEqual({ roomId: 8, afterSeq: 0, unread: 1, far: false });
  });
});
