import { describe, expect, it } from 'vitest';
import type { Message } from '@ecc/protocol';
import { ChatController } from './controller.ts';
import { findFirstNew, findMessage, locate } from './findMessage.ts';
import { roomMessagesOf } from './store.ts';
import { FakeEnvironment, FakeTransport } from '../test/fakeTransport.ts';
import { alice, bob, message, room } from '../test/fixtures.ts';

/** A room of `total` messages served a page at a time (50 unless asked for more), newest first, like the server's history. */
async function setup(total: number, edit: (m: Message) => Message | null = (m) => m) {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, new FakeEnvironment());
  chat.connect();
  const all = Array.from({ length: total }, (_, i) => edit(message(1, i + 1, bob))).filter((m) => m !== null);
  transport.historyAnswer = (q) => {
    const below = all.filter((m) => q.beforeSeq === undefined || m.seq < q.beforeSeq);
    const limit = q.limit ?? 50;
    return { messages: below.slice(-limit), hasMore: below.length > limit };
  };
  transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: total })], totalUnread: 0 });
  await chat.loadMessages(1, 'initial');
  return { chat, transport };
}

const never = new AbortController().signal;

describe('locate', () => {
  it('finds a loaded message, says a deleted one is deleted, and tells older from missing', async () => {
    const { chat } = await setup(120, (m) => (m.seq === 100 ? { ...m, deletedAt: m.createdAt } : m));
    const rm = roomMessagesOf(chat.state, 1);
    expect(rm.messages[0]?.seq).toBe(71);
    expect(locate(rm, 75)).toEqual({ kind: 'held', index: 4 });
    expect(locate(rm, 100)).toEqual({ kind: 'deleted' });
    expect(locate(rm, 3)).toEqual({ kind: 'older' });
    expect(locate(rm, 500)).toEqual({ kind: 'missing' });
  });
});

describe('findMessage', () => {
  it('loads older pages until the message is loaded, and no further', async () => {
    const { chat, transport } = await setup(300);
    const found = await findMessage(chat, 1, 120, never);
    expect(found).toEqual({ kind: 'held', index: 19 });
    // 251–300 first, then 151–250 (100 at once, as it is more than that back), 101–150: not the rest of the room.
    expect(transport.historyCalls.map((q) => [q.beforeSeq, q.limit])).toEqual([[undefined, 50], [251, 100], [151, 50]]);
  });

  it('reaches a message 51–100 above the loaded ones with one page of 100, not two of 50', async () => {
    const { chat, transport } = await setup(300);
    expect(await findMessage(chat, 1, 180, never)).toMatchObject({ kind: 'held' });
    expect(transport.historyCalls.map((q) => [q.beforeSeq, q.limit])).toEqual([[undefined, 50], [251, 100]]);
  });

  it('loads pages of 100 towards a message thousands back: half the round trips', async () => {
    const { chat, transport } = await setup(5000);
    expect(await findMessage(chat, 1, 30, never)).toMatchObject({ kind: 'held' });
    const older = transport.historyCalls.slice(1);
    // 4951 back to seq 30: 49 pages of 100, then one of 50, where 50 a page took 99.
    expect(older.filter((q) => q.limit === 100)).toHaveLength(49);
    expect(older).toHaveLength(50);
  });

  it("reports a message the room's start was reached without as missing", async () => {
    // A seq the server does not have (seqs are gap-free, so this stands for any message not found).
    const { chat, transport } = await setup(120, (m) => (m.seq === 10 ? null : m));
    expect(await findMessage(chat, 1, 10, never)).toEqual({ kind: 'missing' });
    // The whole room was loaded once (the newest 50, then the 69 left in one page of 100), then the search ended.
    expect(transport.historyCalls).toHaveLength(2);
    expect(roomMessagesOf(chat.state, 1).fetch.foundOldest).toBe(true);
  });

  it('stops at a page that fails to load, with the reason shown', async () => {
    const { chat, transport } = await setup(200);
    transport.history = () => Promise.reject(new Error('offline'));
    expect(await findMessage(chat, 1, 5, never)).toEqual({ kind: 'failed' });
    expect(chat.state.notice).toBe('Could not load messages: offline');
  });

  it('waits for a page asked for by scrolling instead of giving up on it', async () => {
    const { chat } = await setup(120);
    const scrolling = chat.loadMessages(1, 'older');
    const found = findMessage(chat, 1, 30, never);
    await scrolling;
    expect(await found).toEqual({ kind: 'held', index: 9 });
  });

  it('stops when aborted (the room was left or another quote chosen)', async () => {
    const { chat, transport } = await setup(300);
    const abort = new AbortController();
    const found = findMessage(chat, 1, 5, abort.signal);
    abort.abort();
    expect(await found).toEqual({ kind: 'aborted' });
    expect(transport.historyCalls.length).toBeLessThanOrEqual(2);
  });
});

describe('findFirstNew', () => {
  it('loads older pages until the first message after the mark is loaded, and gives the first one not mine', async () => {
    // Alice read up to 120, then wrote 121 herself (her own messages do not move her mark).
    const { chat, transport } = await setup(300, (m) => (m.seq === 121 ? { ...m, sender: alice } : m));
    const marker = { roomId: 1, afterSeq: 120, unread: 179, far: false };
    expect(await findFirstNew(chat, marker, never)).toEqual({ kind: 'held', seq: 122 });
    // Down to 101: the first after the mark and the read ones above it (CONTEXT_ABOVE_FIRST_NEW); 100 at once while far.
    expect(transport.historyCalls.map((q) => q.beforeSeq)).toEqual([undefined, 251, 151]);
  });

  it('ends with the reason when a page fails', async () => {
    const { chat, transport } = await setup(300);
    transport.history = () => Promise.reject(new Error('offline'));
    expect(await findFirstNew(chat, { roomId: 1, afterSeq: 20, unread: 280, far: false }, never)).toEqual({ kind: 'failed' });
  });
});

