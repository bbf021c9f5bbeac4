/**
 * Messages that arrive in the room on screen while the reader does not see them (the tab hidden,
 * or scrolled up to older ones) get the "New messages" line above the first of them, as a room
 * opened with unread messages does.
 */
import { describe, expect, it } from 'vitest';
import { fakeChat } from '../test/fakeTransport.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';
import { roomMessagesOf } from './store.ts';
import { firstNewSeq, loadingToFirstNew } from './unreadMarker.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

/** Alice has room 1 (Bob's messages 1–10, all read) open, at its newest, in a visible tab. */
async function watching() {
  const { transport, env, chat } = fakeChat();
  const seen = Array.from({ length: 10 }, (_, i) => message(1, i + 1, bob));
  transport.historyAnswer = () => ({ messages: seen, hasMore: false });
  const participants = [participant(alice, { lastReadSeq: 10 }), participant(bob)];
  transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 10, lastMessage: seen[9], participants }), room(2)], totalUnread: 0 });
  chat.openRoom(1);
  await flush();
  chat.setAtLatest(true);
  transport.reads.length = 0;
  /** Bob writes `seq`, and the server counts it for Alice. */
  const bobWrites = (seq: number, unread: number) => {
    transport.emit('message', { message: message(1, seq, bob) });
    transport.emit('unread', { roomId: 1, unread, totalUnread: unread });
  };
  /** Where the line is drawn in room 1 now. */
  const lineAbove = () => firstNewSeq(roomMessagesOf(chat.state, 1).messages, chat.state.unreadMarker, 1, alice.id);
  return { transport, env, chat, bobWrites, lineAbove };
}

describe('messages the reader of the open room did not see arrive', () => {
  it('in a hidden tab: back in it, they are read, under a "New messages" line above the first of them that stays', async () => {
    const { transport, env, chat, bobWrites, lineAbove } = await watching();
    env.setVisible(false);
    for (let seq = 11; seq <= 13; seq += 1) bobWrites(seq, seq - 10);
    env.setVisible(true);
    expect(transport.reads).toEqual([{ roomId: 1, seq: 13 }]);
    expect(lineAbove()).toBe(11);
    // Read and looked at, the line stays while the room is shown; the next message (seen as it comes) does not move it.
    bobWrites(14, 1);
    expect(lineAbove()).toBe(11);
    chat.openRoom(null);
    expect(chat.state.unreadMarker).toBeNull();
  });

  it('while scrolled up: the line goes above the first of them, and stays once the reader is down there', async () => {
    const { transport, chat, bobWrites, lineAbove } = await watching();
    chat.setAtLatest(false);
    bobWrites(11, 1);
    bobWrites(12, 2);
    expect(transport.reads).toEqual([]);
    expect(lineAbove()).toBe(11);
    chat.setAtLatest(true);
    expect(transport.reads).toEqual([{ roomId: 1, seq: 12 }]);
    expect(lineAbove()).toBe(11);
  });

  it('missed again after the reader caught up: the line moves down to the first of the newly missed ones', async () => {
    const { chat, bobWrites, lineAbove } = await watching();
    chat.setAtLatest(false);
    bobWrites(11, 1);
    chat.setAtLatest(true);
    bobWrites(12, 0);
    chat.setAtLatest(false);
    bobWrites(13, 1);
    expect(lineAbove()).toBe(13);
  });

  it('keeps the line of a room opened with unread messages while the reader has not caught up with them', async () => {
    const { transport, chat } = fakeChat();
    const held = Array.from({ length: 10 }, (_, i) => message(1, i + 1, bob));
    transport.historyAnswer = () => ({ messages: held, hasMore: false });
    const participants = [participant(alice, { lastReadSeq: 6 }), participant(bob)];
    transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 10, unread: 4, lastMessage: held[9], participants })], totalUnread: 4 });
    chat.openRoom(1);
    await flush();
    // Opened at its line, above 7: the reader is not at the newest yet when Bob writes again.
    chat.setAtLatest(false);
    transport.emit('message', { message: message(1, 11, bob) });
    expect(chat.state.unreadMarker).toMatchObject({ roomId: 1, afterSeq: 6 });
  });

  it('takes no line for what the reader sees arrive, nor in a room not on screen', async () => {
    const { chat, transport, bobWrites } = await watching();
    bobWrites(11, 0);
    expect(chat.state.unreadMarker).toBeNull();
    transport.emit('message', { message: message(2, 1, bob) });
    expect(chat.state.unreadMarker).toBeNull();
    chat.togglePanel(false);
    bobWrites(12, 1);
    expect(chat.state.unreadMarker).toBeNull();
  });

  it('never makes the list on screen wait for older pages: no line when the held messages do not reach back to the mark', async () => {
    const { transport, chat } = fakeChat();
    // The newest page (11–12) is held; Alice's mark, 0, is pages back (a count the server had not sent yet).
    transport.historyAnswer = () => ({ messages: [message(1, 11, bob), message(1, 12, bob)], hasMore: true });
    transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 12 })], totalUnread: 0 });
    chat.openRoom(1);
    await flush();
    chat.setAtLatest(false);
    transport.emit('message', { message: message(1, 13, bob) });
    expect(loadingToFirstNew(roomMessagesOf(chat.state, 1), chat.state.unreadMarker, 1)).toBe(false);
  });
});
