import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomSequencer, type Handing } from './roomSequencer.ts';

interface Item {
  seq: number;
  from: string;
}

type Fetch = (roomId: number, afterSeq: number, limit: number) => Promise<Item[]>;

const fromStore: Fetch = async (_room, afterSeq, limit) => Array.from({ length: limit }, (_, i) => ({ seq: afterSeq + 1 + i, from: 'store' }));

function sequencer(fetchAfter: Fetch = async () => []) {
  const delivered: { roomId: number; seq: number; from: string; how: Handing }[] = [];
  const fetches: [number, number, number][] = [];
  const seq = new RoomSequencer<Item>({
    deliver: (roomId, item, how) => delivered.push({ roomId, seq: item.seq, from: item.from, how }),
    fetchAfter: (roomId, afterSeq, limit) => {
      fetches.push([roomId, afterSeq, limit]);
      return fetchAfter(roomId, afterSeq, limit);
    },
    seqOf: (item) => item.seq,
    gapWaitMs: 1000,
    logger: pino({ level: 'silent' }),
  });
  return { seq, delivered, fetches, seqs: () => delivered.map((d) => d.seq) };
}

describe('RoomSequencer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands a message that overtook an earlier one on after it, per room', () => {
    const { seq, delivered, seqs } = sequencer();
    seq.start(1, 132);
    seq.start(2, 7);
    seq.accept(1, { seq: 134, from: 'local' });
    seq.accept(2, { seq: 8, from: 'other room' });
    expect(seqs()).toEqual([8]);
    seq.accept(1, { seq: 133, from: 'redis' });
    expect(delivered).toEqual([
      { roomId: 2, seq: 8, from: 'other room', how: 'next' },
      { roomId: 1, seq: 133, from: 'redis', how: 'next' },
      { roomId: 1, seq: 134, from: 'local', how: 'next' },
    ]);
  });

  it('starts a room without a known last seq at its first message, and hands on what it passed as "again"', () => {
    const { seq, delivered } = sequencer();
    seq.accept(5, { seq: 10, from: 'first' });
    seq.accept(5, { seq: 11, from: 'next' });
    seq.accept(5, { seq: 10, from: 'redelivery' });
    expect(delivered.map((d) => [d.seq, d.how])).toEqual([
      [10, 'next'],
      [11, 'next'],
      [10, 'again'],
    ]);
    // start() does not move a line that exists.
    seq.start(5, 3);
    seq.accept(5, { seq: 12, from: 'then' });
    expect(delivered.at(-1)).toMatchObject({ seq: 12, how: 'next' });
  });

  it('starts past the messages a joining socket was already replayed', () => {
    const { seq, seqs, fetches } = sequencer();
    seq.start(1, 5, [7, 6]);
    seq.accept(1, { seq: 8, from: 'live' });
    expect(seqs()).toEqual([8]);
    expect(fetches).toEqual([]);
  });

  it('fills a gap that does not close in time from the store, page by page, then goes on in order', async () => {
    const { seq, delivered, fetches } = sequencer(fromStore);
    seq.start(1, 10);
    seq.accept(1, { seq: 161, from: 'live' });
    seq.accept(1, { seq: 162, from: 'live' });
    await vi.advanceTimersByTimeAsync(999);
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetches).toEqual([
      [1, 10, 100],
      [1, 110, 50],
    ]);
    expect(delivered.map((d) => d.seq)).toEqual(Array.from({ length: 152 }, (_, i) => 11 + i));
    expect(delivered.every((d) => d.how === 'next')).toBe(true);
    expect(delivered.at(-1)?.from).toBe('live');
    // The late original of a fetched message is handed on only "again".
    seq.accept(1, { seq: 12, from: 'redis, late' });
    expect(delivered.at(-1)).toMatchObject({ seq: 12, how: 'again' });
  });

  it('waits out a failing store a few rounds, then skips the gap; a skipped message that turns up is still handed on', async () => {
    let down = true;
    const { seq, fetches, delivered, seqs } = sequencer(async (room, after, limit) => {
      if (down) throw new Error('database down');
      return fromStore(room, after, limit);
    });
    seq.start(1, 0);
    seq.accept(1, { seq: 3, from: 'live' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(fetches).toHaveLength(2);
    expect(seqs()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    // Third failure: skipped past 1..2.
    expect(fetches).toHaveLength(3);
    expect(seqs()).toEqual([3]);
    seq.accept(1, { seq: 2, from: 'redis, very late' });
    seq.accept(1, { seq: 2, from: 'redis, twice' });
    expect(delivered.slice(1).map((d) => [d.seq, d.how])).toEqual([
      [2, 'overdue'],
      [2, 'again'],
    ]);
    // Back up: the next gap is fetched.
    down = false;
    seq.accept(1, { seq: 5, from: 'live' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seqs().slice(-2)).toEqual([4, 5]);
  });

  it('counts a fetch that hangs as failed', async () => {
    const { seq, fetches, seqs } = sequencer(() => new Promise<Item[]>(() => {}));
    seq.start(1, 0);
    seq.accept(1, { seq: 2, from: 'live' });
    await vi.advanceTimersByTimeAsync(3 * (1000 + 3000));
    expect(fetches).toHaveLength(3);
    expect(seqs()).toEqual([2]);
  });

  it('forgets a room with its waiting messages and timer', async () => {
    const { seq, fetches, seqs } = sequencer();
    seq.start(1, 0);
    seq.accept(1, { seq: 3, from: 'live' });
    seq.forget(1);
    expect(seq.size).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetches).toEqual([]);
    expect(seqs()).toEqual([]);
  });

  it('catches up at once to a last seq read from the store, and hands on a live copy of a fetched seq as "again"', async () => {
    const { seq, delivered, fetches } = sequencer(fromStore);
    seq.start(1, 10);
    seq.catchUp(1, 9); // behind the line: nothing to read
    seq.catchUp(1, 13);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toEqual([[1, 10, 3]]);
    seq.accept(1, { seq: 12, from: 'redis' });
    seq.accept(1, { seq: 14, from: 'redis' });
    expect(delivered.map((d) => [d.seq, d.from, d.how])).toEqual([
      [11, 'store', 'next'],
      [12, 'store', 'next'],
      [13, 'store', 'next'],
      [12, 'redis', 'again'],
      [14, 'redis', 'next'],
    ]);
  });

  it('gives a catch-up up after three failed reads, and goes on with the next live message', async () => {
    const { seq, seqs, fetches } = sequencer(async () => {
      throw new Error('database down');
    });
    seq.start(1, 10);
    seq.catchUp(1, 12);
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetches).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetches).toHaveLength(3);
    seq.accept(1, { seq: 11, from: 'redis' });
    expect(seqs()).toEqual([11]);
  });
});
