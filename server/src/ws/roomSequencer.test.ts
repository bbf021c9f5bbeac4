import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RoomSequencer } from './roomSequencer.ts';

interface Item {
  seq: number;
  from: string;
}

function sequencer(fetchAfter: (roomId: number, afterSeq: number, limit: number) => Promise<Item[]> = async () => []) {
  const delivered: { roomId: number; seq: number; from: string; late: boolean }[] = [];
  const fetches: [number, number, number][] = [];
  const seq = new RoomSequencer<Item>({
    deliver: (roomId, item, late) => delivered.push({ roomId, seq: item.seq, from: item.from, late }),
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
      { roomId: 2, seq: 8, from: 'other room', late: false },
      { roomId: 1, seq: 133, from: 'redis', late: false },
      { roomId: 1, seq: 134, from: 'local', late: false },
    ]);
  });

  it('starts a room without a known last seq at its first message, and marks what it passed as late', () => {
    const { seq, delivered } = sequencer();
    seq.accept(5, { seq: 10, from: 'first' });
    seq.accept(5, { seq: 11, from: 'next' });
    seq.accept(5, { seq: 10, from: 'redelivery' });
    expect(delivered.map((d) => [d.seq, d.late])).toEqual([
      [10, false],
      [11, false],
      [10, true],
    ]);
    // start() does not move a line that exists.
    seq.start(5, 3);
    seq.accept(5, { seq: 12, from: 'then' });
    expect(delivered.at(-1)).toMatchObject({ seq: 12, late: false });
  });

  it('fills a gap that does not close in time from the store, then goes on in order', async () => {
    const { seq, delivered, fetches, seqs } = sequencer(async (_room, afterSeq, limit) =>
      Array.from({ length: limit }, (_, i) => ({ seq: afterSeq + 1 + i, from: 'store' })),
    );
    seq.start(1, 10);
    seq.accept(1, { seq: 13, from: 'live' });
    seq.accept(1, { seq: 14, from: 'live' });
    await vi.advanceTimersByTimeAsync(999);
    expect(seqs()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetches).toEqual([[1, 10, 2]]);
    expect(delivered.map((d) => `${d.seq}:${d.from}`)).toEqual(['11:store', '12:store', '13:live', '14:live']);
    // The late original of a fetched message is only late.
    seq.accept(1, { seq: 12, from: 'redis, late' });
    expect(delivered.at(-1)).toMatchObject({ seq: 12, late: true });
  });

  it('skips a gap the store cannot fill, and a gap that fills by itself fetches nothing', async () => {
    const { seq, fetches, seqs } = sequencer(async () => {
      throw new Error('database down');
    });
    seq.start(1, 0);
    seq.accept(1, { seq: 2, from: 'live' });
    seq.accept(1, { seq: 4, from: 'live' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetches).toEqual([[1, 0, 1]]);
    expect(seqs()).toEqual([2]);
    // 3 is still missing: a second wait, then on to 4.
    await vi.advanceTimersByTimeAsync(1000);
    expect(seqs()).toEqual([2, 4]);
    seq.accept(1, { seq: 6, from: 'live' });
    seq.accept(1, { seq: 5, from: 'live' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(seqs()).toEqual([2, 4, 5, 6]);
    expect(fetches).toHaveLength(2);
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
});
