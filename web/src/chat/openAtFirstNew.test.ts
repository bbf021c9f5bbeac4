/** A room with more new messages than the first page holds opens at the first of them (controller and paging; the list is tested in components/openAtFirstNew.test.tsx). */
import { describe, expect, it } from 'vitest';
import type { Message } from '@ecc/protocol';
import { ChatController } from './controller.ts';
import { roomMessagesOf } from './store.ts';
import { firstNewSeq, loadingToFirstNew } from './unreadMarker.ts';
import { FakeEnvironment, FakeTransport } from '../test/fakeTransport.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

/** Alice read a room of `total` messages from Bob up to `readUpTo`; the server pages it 50 at a time, newest first. */
function setup(total: number, readUpTo: number) {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, new FakeEnvironment());
  chat.connect();
  const all: Message[] = Array.from({ length: total }, (_, i) => message(1, i + 1, bob));
  transport.historyAnswer = (q) => {
    const below = all.filter((m) => q.beforeSeq === undefined || m.seq < q.beforeSeq);
    return { messages: below.slice(-50), hasMore: below.length > 50 };
  };
  const unread = total - readUpTo;
  const participants = [participant(alice, { lastReadSeq: readUpTo }), participant(bob)];
  transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: total, unread, participants }), room(2)], totalUnread: unread });
  return { chat, transport };
}

/** History pages answered one at a time: `answerNext()` lets the oldest held one through and lets it land. */
function holdPages(transport: FakeTransport) {
  const answer = transport.historyAnswer;
  const held: (() => void)[] = [];
  transport.history = (q) => {
    transport.historyCalls.push(q);
    return new Promise((resolve) => held.push(() => resolve(answer(q))));
  };
  return {
    get waiting() {
      return held.length;
    },
    async answerNext() {
      held.shift()?.();
      await flush();
    },
  };
}

function shown(chat: ChatController) {
  const rm = roomMessagesOf(chat.state, 1);
  return { first: rm.messages[0]?.seq, loading: loadingToFirstNew(rm, chat.state.unreadMarker, 1), line: firstNewSeq(rm.messages, chat.state.unreadMarker, 1, alice.id) };
}

describe('opening a room with more new messages than the first page', () => {
  it('loads older pages up to the first new message, and no further, reading nothing on the way', async () => {
    const { chat, transport } = setup(200, 80);
    chat.openRoom(1);
    await flush();
    // 151–200 first, then 101–150 and 51–100: seq 81 is loaded.
    expect(transport.historyCalls.map((q) => q.beforeSeq)).toEqual([undefined, 151, 101]);
    expect(shown(chat)).toEqual({ first: 51, loading: false, line: 81 });
    // The 120 new ones are not read by opening: only once the list says it shows the newest.
    expect(transport.reads).toEqual([]);
    expect(chat.state.totalUnread).toBe(120);
    chat.setAtLatest(false);
    transport.emit('message', { message: message(1, 201, bob) });
    expect(transport.reads).toEqual([]);
    chat.setAtLatest(true);
    expect(transport.reads).toEqual([{ roomId: 1, seq: 201 }]);
  });

  it('loads nothing more when the first page holds the first new message and the read ones above it', async () => {
    const { chat, transport } = setup(200, 175);
    chat.openRoom(1);
    await flush();
    expect(transport.historyCalls).toHaveLength(1);
    expect(shown(chat)).toEqual({ first: 151, loading: false, line: 176 });
  });

  it('loads one page more when the first new message is near the top of what is loaded: the list does not open at its top', async () => {
    const { chat, transport } = setup(200, 160);
    chat.openRoom(1);
    await flush();
    expect(transport.historyCalls.map((q) => q.beforeSeq)).toEqual([undefined, 151]);
    expect(shown(chat)).toEqual({ first: 101, loading: false, line: 161 });
  });

  it('says the list is loading until the older pages are there', async () => {
    const { chat, transport } = setup(200, 80);
    const held = holdPages(transport);
    chat.openRoom(1);
    await held.answerNext();
    expect(shown(chat)).toEqual({ first: 151, loading: true, line: null });
    await held.answerNext();
    expect(shown(chat)).toMatchObject({ first: 101, loading: true });
    await held.answerNext();
    expect(shown(chat)).toEqual({ first: 51, loading: false, line: 81 });
  });

  it('stops loading when the room is left on the way', async () => {
    const { chat, transport } = setup(400, 10);
    const held = holdPages(transport);
    chat.openRoom(1);
    await held.answerNext();
    expect(transport.historyCalls).toHaveLength(2);
    chat.openRoom(2);
    await held.answerNext();
    expect(transport.historyCalls.filter((q) => q.roomId === 1)).toHaveLength(2);
  });

  it('with the first new message more than 500 back, opens at the newest: only the latest page is loaded', async () => {
    const { chat, transport } = setup(700, 100);
    chat.openRoom(1);
    await flush();
    expect(transport.historyCalls).toHaveLength(1);
    expect(chat.state.unreadMarker).toMatchObject({ far: true, unread: 600 });
    expect(shown(chat)).toEqual({ first: 651, loading: false, line: null });
  });

  it('opens at the newest when a page on the way fails, with the reason shown', async () => {
    const { chat, transport } = setup(200, 80);
    const answer = transport.historyAnswer;
    transport.history = (q) => (q.beforeSeq === undefined ? Promise.resolve(answer(q)) : Promise.reject(new Error('offline')));
    chat.openRoom(1);
    await flush();
    expect(chat.state.unreadMarker).toMatchObject({ far: true });
    expect(shown(chat)).toEqual({ first: 151, loading: false, line: null });
    expect(chat.state.notice).toBe('Could not load messages: offline');
  });

  it('goes on loading when the panel is closed on the way and opened again', async () => {
    const { chat, transport } = setup(200, 80);
    const held = holdPages(transport);
    chat.openRoom(1);
    await held.answerNext();
    chat.togglePanel(false);
    await held.answerNext();
    expect(transport.historyCalls).toHaveLength(2);
    chat.togglePanel(true);
    while (held.waiting > 0) await held.answerNext();
    expect(shown(chat)).toEqual({ first: 51, loading: false, line: 81 });
    expect(transport.reads).toEqual([]);
  });
});
