import { describe, expect, it } from 'vitest';
import { chatReducer, draftOf, editOf, initialChatState, roomMessagesOf, type ChatAction, type ChatState, type PendingMessage } from './store.ts';
import { messageItems, receiptSeqs } from './selectors.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

function run(...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, initialChatState);
}

const ready: ChatAction = { type: 'ready', user: alice, rooms: [room(1), room(2)], totalUnread: 0 };

function pending(clientId: string, content = 'hello'): PendingMessage {
  return { clientId, roomId: 1, content, replyTo: null, attachment: null, createdAt: new Date().toISOString(), status: 'pending', error: null, mayBeStored: false, failures: 0, answered: false };
}

describe('optimistic send', () => {
  it('shows a pending message, then the stored one once acknowledged', () => {
    let s = run(ready, { type: 'send_started', pending: pending('abc') });
    expect(messageItems(roomMessagesOf(s, 1)).map((i) => i.kind)).toEqual(['pending']);
    s = chatReducer(s, { type: 'message', message: message(1, 1, alice, { clientId: 'abc', content: 'hello' }) });
    const items = messageItems(roomMessagesOf(s, 1));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'stored', message: { seq: 1, content: 'hello' } });
  });

  it('marks a refused message failed and pending again on retry, keeping its clientId', () => {
    let s = run(ready, { type: 'send_started', pending: pending('abc') });
    s = chatReducer(s, { type: 'send_failed', roomId: 1, clientId: 'abc', error: 'Too many messages' });
    expect(roomMessagesOf(s, 1).pending[0]).toMatchObject({ clientId: 'abc', status: 'failed', error: 'Too many messages' });
    s = chatReducer(s, { type: 'send_retried', roomId: 1, clientId: 'abc' });
    expect(roomMessagesOf(s, 1).pending[0]).toMatchObject({ clientId: 'abc', status: 'pending', error: null });
  });

  it('does not duplicate when the ack and the echoed message both arrive', () => {
    const stored = message(1, 1, alice, { clientId: 'abc' });
    const s = run(ready, { type: 'send_started', pending: pending('abc') }, { type: 'message', message: stored }, { type: 'message', message: stored });
    expect(roomMessagesOf(s, 1).messages).toHaveLength(1);
    expect(roomMessagesOf(s, 1).pending).toHaveLength(0);
  });

  it('ignores a second send_started with the same clientId', () => {
    const s = run(ready, { type: 'send_started', pending: pending('abc') }, { type: 'send_started', pending: pending('abc') });
    expect(roomMessagesOf(s, 1).pending).toHaveLength(1);
  });

  it("does not treat another user's message with the same clientId as my ack", () => {
    const s = run(ready, { type: 'send_started', pending: pending('abc') }, { type: 'message', message: message(1, 1, bob, { clientId: 'abc' }) });
    expect(roomMessagesOf(s, 1).pending).toHaveLength(1);
  });
});

describe('messages', () => {
  it('keeps messages in seq order without duplicates, whatever the arrival order', () => {
    const s = run(
      ready,
      { type: 'message', message: message(1, 2, bob) },
      { type: 'message', message: message(1, 1, bob) },
      { type: 'message', message: message(1, 2, bob) },
      { type: 'message', message: message(1, 3, bob) },
    );
    expect(roomMessagesOf(s, 1).messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('moves the room with the newest message to the top of the list', () => {
    let s = run(ready);
    expect(s.roomOrder).toEqual([2, 1]);
    s = chatReducer(s, { type: 'message', message: message(1, 1, bob, { createdAt: '2030-01-01T00:00:00.000Z' }) });
    expect(s.roomOrder).toEqual([1, 2]);
    expect(s.rooms[1]?.lastMessage?.seq).toBe(1);
    expect(s.rooms[1]?.lastSeq).toBe(1);
  });

  it('applies edits and deletions to the loaded message and the preview', () => {
    const m = message(1, 1, bob);
    const s = run(ready, { type: 'message', message: m }, { type: 'message_updated', message: { ...m, content: '', deletedAt: '2026-11-25T10:00:00.000Z' } });
    expect(roomMessagesOf(s, 1).messages[0]?.deletedAt).not.toBeNull();
    expect(s.rooms[1]?.lastMessage?.deletedAt).not.toBeNull();
  });

  it('keeps the newer state when an older edit of a message arrives after a newer edit or the deletion', () => {
    const m = message(1, 1, bob, { content: 'Key under the mat' });
    const older = { ...m, content: 'Key with the concierge', editedAt: '2026-11-25T10:01:00.000Z' };
    const newer = { ...m, content: 'Key in the lockbox', editedAt: '2026-11-25T10:02:00.000Z' };
    let s = run(ready, { type: 'message', message: m }, { type: 'message_updated', message: newer }, { type: 'message_updated', message: older });
    expect(roomMessagesOf(s, 1).messages[0]?.content).toBe('Key in the lockbox');
    expect(s.rooms[1]?.lastMessage?.content).toBe('Key in the lockbox');
    s = chatReducer(s, { type: 'message_updated', message: { ...m, content: '', deletedAt: '2026-11-25T10:03:00.000Z' } });
    s = chatReducer(s, { type: 'message_updated', message: newer });
    expect(roomMessagesOf(s, 1).messages[0]?.deletedAt).not.toBeNull();
    expect(s.rooms[1]?.lastMessage?.deletedAt).not.toBeNull();
  });

  it('requotes the replies held (stored and being sent) when their original is edited or deleted', () => {
    const original = message(1, 1, bob, { content: 'Door code 4711, I come at 9' });
    const quote = { id: original.id, seq: 1, sender: bob, excerpt: original.content };
    const reply = message(1, 2, alice, { content: 'OK', replyTo: quote });
    const sending: PendingMessage = { ...pending('abc', 'See you'), replyTo: quote };
    let s = run(ready, { type: 'message', message: original }, { type: 'message', message: reply }, { type: 'send_started', pending: sending });
    const excerpts = () => [roomMessagesOf(s, 1).messages[1]?.replyTo?.excerpt, roomMessagesOf(s, 1).pending[0]?.replyTo?.excerpt];

    s = chatReducer(s, { type: 'message_updated', message: { ...original, content: 'Door code 4711, I come at 10', editedAt: '2026-11-25T10:05:00.000Z' } });
    expect(excerpts()).toEqual(['Door code 4711, I come at 10', 'Door code 4711, I come at 10']);

    s = chatReducer(s, { type: 'message_updated', message: { ...original, content: '', deletedAt: '2026-11-25T10:06:00.000Z' } });
    expect(excerpts()).toEqual(['', '']);
  });

  it('requotes a held reply whose original is on a page not loaded', () => {
    const quote = { id: message(1, 1, bob).id, seq: 1, sender: bob, excerpt: 'Key under the mat' };
    let s = run(ready, { type: 'message', message: message(1, 60, alice, { replyTo: quote }) });
    s = chatReducer(s, { type: 'message_updated', message: message(1, 1, bob, { content: '', deletedAt: '2026-11-25T10:06:00.000Z' }) });
    expect(roomMessagesOf(s, 1).messages[0]?.replyTo?.excerpt).toBe('');
  });

  it('leaves other rooms untouched (same references) when one room changes', () => {
    const before = run(ready, { type: 'message', message: message(2, 1, bob) });
    const after = chatReducer(before, { type: 'message', message: message(1, 1, bob) });
    expect(after.rooms[2]).toBe(before.rooms[2]);
    expect(roomMessagesOf(after, 2)).toBe(roomMessagesOf(before, 2));
  });
});

describe('history', () => {
  const page = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(1, from + i, bob));

  it('prepends older pages and tracks whether the oldest was reached', () => {
    let s = run(ready, { type: 'history_started', roomId: 1, direction: 'initial' });
    expect(roomMessagesOf(s, 1).fetch.loadingInitial).toBe(true);
    s = chatReducer(s, { type: 'history_loaded', roomId: 1, direction: 'initial', messages: page(151, 200), hasMore: true });
    expect(roomMessagesOf(s, 1).fetch.canLoadOlder()).toBe(true);
    s = chatReducer(s, { type: 'history_started', roomId: 1, direction: 'older' });
    expect(roomMessagesOf(s, 1).fetch.canLoadOlder()).toBe(false);
    s = chatReducer(s, { type: 'history_loaded', roomId: 1, direction: 'older', messages: page(101, 150), hasMore: true });
    s = chatReducer(s, { type: 'history_loaded', roomId: 1, direction: 'older', messages: page(1, 100), hasMore: false });
    const seqs = roomMessagesOf(s, 1).messages.map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(roomMessagesOf(s, 1).fetch.foundOldest).toBe(true);
    expect(roomMessagesOf(s, 1).fetch.canLoadOlder()).toBe(false);
  });

  it('merges a first page with live messages that arrived before it', () => {
    const s = run(
      ready,
      { type: 'message', message: message(1, 51, bob) },
      { type: 'history_loaded', roomId: 1, direction: 'initial', messages: page(2, 51), hasMore: true },
    );
    expect(roomMessagesOf(s, 1).messages.map((m) => m.seq)).toEqual(page(2, 51).map((m) => m.seq));
  });

  it('resolves a pending message whose ack was lost when history shows it stored', () => {
    const s = run(
      ready,
      { type: 'send_started', pending: pending('abc') },
      { type: 'history_loaded', roomId: 1, direction: 'initial', messages: [message(1, 1, alice, { clientId: 'abc' })], hasMore: false },
    );
    expect(roomMessagesOf(s, 1).pending).toHaveLength(0);
  });

  it('keeps a deletion when a page read before it arrives after it', () => {
    const live = message(1, 10, bob, { content: 'my door code is 4711' });
    const deleted = { ...live, content: '', deletedAt: '2026-11-25T11:00:00.000Z' };
    let s = run({ type: 'ready', user: alice, rooms: [room(1, { lastSeq: 9 })], totalUnread: 0 }, { type: 'message', message: live });
    s = chatReducer(s, { type: 'history_started', roomId: 1, direction: 'initial' });
    s = chatReducer(s, { type: 'message_updated', message: deleted });
    s = chatReducer(s, { type: 'history_loaded', roomId: 1, direction: 'initial', messages: [message(1, 9, bob), live], hasMore: true });
    expect(roomMessagesOf(s, 1).messages.map((m) => [m.seq, m.content])).toEqual([[9, 'message 9'], [10, '']]);
    // A room snapshot read before the deletion does not bring the text back to the chat list either.
    s = chatReducer(s, { type: 'room', room: room(1, { lastSeq: 10, lastMessage: live }) });
    expect(s.rooms[1]?.lastMessage?.deletedAt).toBe(deleted.deletedAt);
  });

  it('keeps the later of two edits, whichever copy arrives last', () => {
    const at = (minute: number) => `2026-11-25T11:0${minute}:00.000Z`;
    const second = message(1, 1, bob, { content: 'at 11', editedAt: at(2) });
    const load = (m: typeof second): ChatAction => ({ type: 'history_loaded', roomId: 1, direction: 'initial', messages: [m], hasMore: false });
    let s = run(ready, { type: 'message', message: second }, load(message(1, 1, bob, { content: 'at 10', editedAt: at(1) })));
    expect(roomMessagesOf(s, 1).messages[0]?.content).toBe('at 11');
    s = chatReducer(s, load(message(1, 1, bob, { content: 'at 12', editedAt: at(3) })));
    expect(roomMessagesOf(s, 1).messages[0]?.content).toBe('at 12');
  });

  it('clears the loading flag when a page fails, so scrolling can try again', () => {
    const s = run(ready, { type: 'history_loaded', roomId: 1, direction: 'initial', messages: page(1, 10), hasMore: true }, { type: 'history_started', roomId: 1, direction: 'older' }, { type: 'history_failed', roomId: 1 });
    expect(roomMessagesOf(s, 1).fetch.canLoadOlder()).toBe(true);
  });
});

describe('unread, receipts, presence, typing', () => {
  it('takes unread counts from the server and clears them when read locally', () => {
    let s = run({ type: 'ready', user: alice, rooms: [room(1, { unread: 2, lastSeq: 5 }), room(2, { unread: 1, lastSeq: 1 })], totalUnread: 3 });
    s = chatReducer(s, { type: 'unread', roomId: 1, unread: 3, totalUnread: 4 });
    expect(s.rooms[1]?.unread).toBe(3);
    expect(s.totalUnread).toBe(4);
    s = chatReducer(s, { type: 'message', message: message(1, 6, bob) });
    s = chatReducer(s, { type: 'read_locally', roomId: 1, seq: 6 });
    expect(s.rooms[1]?.unread).toBe(0);
    expect(s.totalUnread).toBe(1);
  });

  it('reading a closed room leaves the total alone: it counts active rooms only', () => {
    const closed = room(2, { unread: 3, lastSeq: 3, isActive: false });
    let s = run({ type: 'ready', user: alice, rooms: [room(1, { unread: 2, lastSeq: 2 }), closed], totalUnread: 2 });
    s = chatReducer(s, { type: 'read_locally', roomId: 2, seq: 3 });
    expect(s.rooms[2]?.unread).toBe(0);
    expect(s.totalUnread).toBe(2);
  });

  it('shows "Seen" under my last message the other person read', () => {
    const msgs = [message(1, 1, alice), message(1, 2, bob), message(1, 3, alice), message(1, 4, alice)];
    let s = run(ready, ...msgs.map((m): ChatAction => ({ type: 'message', message: m })));
    const seen = (st: ChatState) => receiptSeqs(roomMessagesOf(st, 1).messages, st.rooms[1]!, alice.id).seen;
    expect(seen(s)).toBeNull();
    s = chatReducer(s, { type: 'receipt', roomId: 1, userId: bob.id, lastReadSeq: 3 });
    expect(seen(s)).toBe(3);
    s = chatReducer(s, { type: 'receipt', roomId: 1, userId: bob.id, lastReadSeq: 2 });
    expect(seen(s)).toBe(3);
    s = chatReducer(s, { type: 'receipt', roomId: 1, userId: bob.id, lastReadSeq: 4 });
    expect(seen(s)).toBe(4);
  });

  it('updates the presence of a user in every room they share', () => {
    const s = run(ready, { type: 'presence', userId: bob.id, online: true, lastSeen: null });
    expect(s.rooms[1]?.participants.find((p) => p.id === bob.id)?.online).toBe(true);
    expect(s.rooms[2]?.participants.find((p) => p.id === bob.id)?.online).toBe(true);
  });

  it('tracks typing users and stops when they send', () => {
    let s = run(ready, { type: 'typing', roomId: 1, userId: bob.id, username: 'cleaner1', isTyping: true });
    expect(s.typing[1]).toEqual([{ userId: bob.id, username: 'cleaner1' }]);
    s = chatReducer(s, { type: 'message', message: message(1, 1, bob) });
    expect(s.typing[1]).toEqual([]);
  });

  it('forgets typing indicators when the connection is lost (their stop cannot come while offline)', () => {
    const s = run(ready, { type: 'typing', roomId: 1, userId: bob.id, username: 'cleaner1', isTyping: true }, { type: 'connection', state: 'reconnecting' });
    expect(s.typing[1]).toBeUndefined();
    expect(chatReducer(s, { type: 'connection', state: 'reconnecting' })).toBe(s);
  });

  it('forgets typing indicators on reconnect (their stop may have been lost)', () => {
    const s = run(ready, { type: 'typing', roomId: 1, userId: bob.id, username: 'cleaner1', isTyping: true }, ready);
    expect(s.typing[1]).toBeUndefined();
  });

  it('ends typing in a room once it is known closed: a closed room takes no typing', () => {
    const typing: ChatAction = { type: 'typing', roomId: 1, userId: bob.id, username: 'cleaner1', isTyping: true };
    let s = run(ready, typing, { type: 'room', room: room(1, { isActive: false, job: { id: 1, title: 'Deep clean', status: 'completed' } }) });
    expect(s.typing[1] ?? []).toEqual([]);
    // A relay already on its way when the room closed is not shown either.
    s = chatReducer(s, typing);
    expect(s.typing[1] ?? []).toEqual([]);
    expect(chatReducer(run(ready, typing), { type: 'room', room: room(2) }).typing[1]).toHaveLength(1);
  });

  it('adds a room announced by a room event (job accepted) and keeps newer local data', () => {
    let s = run(ready, { type: 'message', message: message(1, 7, bob) });
    s = chatReducer(s, { type: 'room', room: room(1, { lastSeq: 5, lastMessage: message(1, 5, bob), job: { id: 1, title: 'Deep clean', status: 'in_progress' } }) });
    expect(s.rooms[1]?.job?.status).toBe('in_progress');
    expect(s.rooms[1]?.lastMessage?.seq).toBe(7);
    s = chatReducer(s, { type: 'room', room: room(9, { participants: [participant(alice), participant(bob, { online: true })] }) });
    expect(s.roomOrder).toContain(9);
  });
});

describe('drafts', () => {
  it('keeps one draft per room until replaced, and forgets them all on sign out', () => {
    let s = run(ready, { type: 'draft_text', roomId: 1, text: 'Half a thought' }, { type: 'draft_text', roomId: 2, text: 'Other room' });
    expect(draftOf(s, 1).text).toBe('Half a thought');
    expect(draftOf(s, 2).text).toBe('Other room');
    expect(draftOf(s, 3).text).toBe('');
    // A reconnect keeps them.
    s = chatReducer(s, ready);
    expect(draftOf(s, 1).text).toBe('Half a thought');
    expect(chatReducer(s, { type: 'draft_text', roomId: 1, text: 'Half a thought' })).toBe(s);
    expect(draftOf(chatReducer(s, { type: 'reset' }), 1).text).toBe('');
  });

  it('holds one edit in progress per room: started, changed, replaced by another, ended only by its own message', () => {
    let s = run(ready, { type: 'edit_started', roomId: 1, messageId: 10, text: 'Meet at 9', original: 'Meet at 9' });
    expect((editOf(s, 1, 10)?.text ?? null)).toBe('Meet at 9');
    s = chatReducer(s, { type: 'edit_changed', roomId: 1, messageId: 10, text: 'Meet at 9, north door' });
    expect((editOf(s, 1, 10)?.text ?? null)).toBe('Meet at 9, north door');
    // Nothing changed: the same state, so no subscriber re-renders.
    expect(chatReducer(s, { type: 'edit_changed', roomId: 1, messageId: 10, text: 'Meet at 9, north door' })).toBe(s);
    // A late change or end for a message no longer edited does not touch the edit open.
    expect(chatReducer(s, { type: 'edit_changed', roomId: 1, messageId: 11, text: 'stray' })).toBe(s);
    expect(chatReducer(s, { type: 'edit_ended', roomId: 1, messageId: 11 })).toBe(s);
    // Another room has its own.
    s = chatReducer(s, { type: 'edit_started', roomId: 2, messageId: 20, text: 'Other room', original: 'Other room' });
    expect((editOf(s, 1, 10)?.text ?? null)).toBe('Meet at 9, north door');
    // Starting another edit in the room replaces the first, as the one edit box a room shows.
    s = chatReducer(s, { type: 'edit_started', roomId: 1, messageId: 12, text: 'Second', original: 'Second' });
    expect((editOf(s, 1, 10)?.text ?? null)).toBeNull();
    expect((editOf(s, 1, 12)?.text ?? null)).toBe('Second');
    s = chatReducer(s, { type: 'edit_ended', roomId: 1, messageId: 12 });
    expect(draftOf(s, 1).edit).toBeNull();
    expect((editOf(s, 2, 20)?.text ?? null)).toBe('Other room');
    expect(draftOf(chatReducer(s, { type: 'reset' }), 2).edit).toBeNull();
  });

  it('keeps an edit in progress when the message box of the same room is sent', () => {
    let s = run(
      ready,
      { type: 'edit_started', roomId: 1, messageId: 10, text: 'Half an edit', original: 'Half an edit' },
      { type: 'draft_text', roomId: 1, text: 'New message' },
    );
    s = chatReducer(s, { type: 'draft_cleared', roomId: 1 });
    expect(draftOf(s, 1).text).toBe('');
    expect((editOf(s, 1, 10)?.text ?? null)).toBe('Half an edit');
  });
});
