import { describe, expect, it } from 'vitest';
import type { Message } from '@ecc/protocol';
import { RoomSequencer } from './roomSequencer.ts';

function msg(roomId: number, seq: number, content = `m${seq}`): Message {
  return {
    id: roomId * 1000 + seq,
    roomId,
    seq,
    sender: null,
    type: 'text',
    content,
    attachment: null,
    replyTo: null,
    clientId: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null,
    deletedAt: null,
  };
}

function setup() {
  const delivered: Message[] = [];
  const seq = new RoomSequencer((m) => delivered.push(m));
  const seqs = (roomId?: number) => delivered.filter((m) => roomId === undefined || m.roomId === roomId).map((m) => m.seq);
  return { seq, delivered, seqs };
}

describe('RoomSequencer', () => {
  it('starts tracking a new room at the seq the server reports, without fetching', () => {
    const { seq } = setup();
    expect(seq.observeRoom(1, 7)).toBeNull();
    expect(seq.lastSeq(1)).toBe(7);
  });

  it('delivers consecutive live messages and drops duplicates', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 2);
    for (const s of [3, 4, 4, 2, 5, 3]) expect(seq.offerLive(msg(1, s))).toBeNull();
    expect(seqs()).toEqual([3, 4, 5]);
    expect(seq.lastSeq(1)).toBe(5);
  });

  it('on a gap asks for history after the last delivered seq and holds later live messages back', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 2);
    expect(seq.offerLive(msg(1, 5))).toEqual({ roomId: 1, afterSeq: 2 });
    // More live messages during the fetch: buffered, no second fetch.
    expect(seq.offerLive(msg(1, 6))).toBeNull();
    expect(seq.offerLive(msg(1, 3))).toBeNull();
    expect(seqs()).toEqual([]);
    expect(seq.acceptPage(1, [msg(1, 3), msg(1, 4), msg(1, 5)], false)).toBeNull();
    expect(seqs()).toEqual([3, 4, 5, 6]);
    expect(seq.isSyncing(1)).toBe(false);
    expect(seq.buffered(1)).toBe(0);
  });

  it('pages until hasMore is false', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 0);
    expect(seq.offerLive(msg(1, 250))).toEqual({ roomId: 1, afterSeq: 0 });
    const page = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(1, from + i));
    expect(seq.acceptPage(1, page(1, 100), true)).toEqual({ roomId: 1, afterSeq: 100 });
    expect(seq.acceptPage(1, page(101, 200), true)).toEqual({ roomId: 1, afterSeq: 200 });
    expect(seq.acceptPage(1, page(201, 249), false)).toBeNull();
    expect(seqs()).toEqual(page(1, 250).map((m) => m.seq));
  });

  it('fetches again when messages stored after the page leave a new gap before a buffered one', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 0);
    seq.offerLive(msg(1, 3));
    seq.offerLive(msg(1, 6)); // buffered; 4 and 5 arrive only via a second page
    expect(seq.acceptPage(1, [msg(1, 1), msg(1, 2), msg(1, 3)], false)).toEqual({ roomId: 1, afterSeq: 3 });
    expect(seq.acceptPage(1, [msg(1, 4), msg(1, 5), msg(1, 6)], false)).toBeNull();
    expect(seqs()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('stops without looping when the server cannot fill a gap, and says so', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 0);
    seq.offerLive(msg(1, 3));
    expect(seq.acceptPage(1, [], false)).toBeNull();
    expect(seqs()).toEqual([]);
    expect(seq.hasStrandedGap(1)).toBe(true);
    // The next live message retries the fetch.
    expect(seq.offerLive(msg(1, 4))).toEqual({ roomId: 1, afterSeq: 0 });
  });

  it('resyncs a known room that is behind the lastSeq of a ready', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 3);
    seq.observeRoom(2, 5);
    expect(seq.observeRoom(1, 3)).toBeNull();
    expect(seq.observeRoom(2, 8)).toEqual({ roomId: 2, afterSeq: 5 });
    // A second trigger while syncing does not start another fetch.
    expect(seq.observeRoom(2, 9)).toBeNull();
    seq.acceptPage(2, [msg(2, 6), msg(2, 7), msg(2, 8), msg(2, 9)], false);
    expect(seqs(2)).toEqual([6, 7, 8, 9]);
  });

  it('keeps rooms apart', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 0);
    seq.observeRoom(2, 0);
    expect(seq.offerLive(msg(1, 2))).toEqual({ roomId: 1, afterSeq: 0 });
    seq.offerLive(msg(2, 1));
    expect(seqs(2)).toEqual([1]);
    expect(seqs(1)).toEqual([]);
  });

  it('delivers the first message of a room it never heard of', () => {
    const { seq, seqs } = setup();
    expect(seq.offerLive(msg(9, 4))).toBeNull();
    expect(seqs(9)).toEqual([4]);
    expect(seq.observeRoom(9, 4)).toBeNull();
  });

  it('after a disconnect forgets buffers and syncs, but not what was delivered', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 0);
    seq.offerLive(msg(1, 1));
    seq.offerLive(msg(1, 3));
    seq.disconnected();
    expect(seq.isSyncing(1)).toBe(false);
    expect(seq.buffered(1)).toBe(0);
    expect(seq.observeRoom(1, 4)).toEqual({ roomId: 1, afterSeq: 1 });
    seq.acceptPage(1, [msg(1, 2), msg(1, 3), msg(1, 4)], false);
    expect(seqs()).toEqual([1, 2, 3, 4]);
  });

  it('applies an edit to a message still held back', () => {
    const { seq, delivered } = setup();
    seq.observeRoom(1, 0);
    seq.offerLive(msg(1, 2));
    expect(seq.noteUpdate(msg(1, 2, 'edited'))).toBe(true);
    seq.acceptPage(1, [msg(1, 1)], false);
    expect(delivered.map((m) => m.content)).toEqual(['m1', 'edited']);
    expect(seq.noteUpdate(msg(1, 2, 'edited again'))).toBe(false);
  });

  it('applies an edit and a deletion of messages in a gap being filled, though the page was read before them', () => {
    const { seq, delivered } = setup();
    seq.observeRoom(1, 0);
    expect(seq.offerLive(msg(1, 4))).toEqual({ roomId: 1, afterSeq: 0 });
    const editedAt = '2026-01-01T00:05:00.000Z';
    seq.noteUpdate({ ...msg(1, 2, 'meet at 10'), editedAt });
    seq.noteUpdate({ ...msg(1, 3, ''), deletedAt: editedAt });
    // The page was read before both changes committed.
    seq.acceptPage(1, [msg(1, 1), msg(1, 2), msg(1, 3)], false);
    expect(delivered.map((m) => [m.seq, m.content, m.deletedAt])).toEqual([
      [1, 'm1', null],
      [2, 'meet at 10', null],
      [3, '', editedAt],
      [4, 'm4', null],
    ]);
  });

  it('after a failed fetch leaves resync so the next trigger retries', () => {
    const { seq } = setup();
    seq.observeRoom(1, 0);
    seq.offerLive(msg(1, 2));
    seq.abortSync(1);
    expect(seq.offerLive(msg(1, 3))).toEqual({ roomId: 1, afterSeq: 0 });
  });
});

describe('RoomSequencer.skipGap (resync disabled)', () => {
  it('hands over the held-back messages in order and continues after them', () => {
    const { seq, seqs } = setup();
    seq.observeRoom(1, 0);
    seq.offerLive(msg(1, 4));
    seq.offerLive(msg(1, 3));
    seq.skipGap(1);
    expect(seqs()).toEqual([3, 4]);
    expect(seq.offerLive(msg(1, 5))).toBeNull();
    expect(seqs()).toEqual([3, 4, 5]);
  });
});
