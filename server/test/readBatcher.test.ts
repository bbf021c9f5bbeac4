/**
 * The read batcher over a real store: the reads of one tick, and those that
 * arrive while a batch commits, each go to the store as one batch; every
 * read is answered with its own outcome, and a failed batch fails only its
 * own reads.
 */
import { describe, expect, it } from 'vitest';
import type { ReadMark, Store } from '../src/storage/store.ts';
import { ReadBatcher } from '../src/ws/readBatcher.ts';
import { DIALECTS } from './support/databases.ts';
import { storeFixture } from './storage/fixture.ts';
import { makeUser, plainRoom, text } from './storage/people.ts';

/** The store, recording each markReads batch and holding the first one until `release` (when `hold`). */
function recordingStore(store: Store, hold = false) {
  const batches: ReadMark[][] = [];
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let failNext = false;
  const markReads: Store['markReads'] = async (marks) => {
    batches.push(marks);
    if (hold && batches.length === 1) await held;
    if (failNext) {
      failNext = false;
      throw new Error('database went away');
    }
    return store.markReads(marks);
  };
  return { store: Object.assign(Object.create(store) as Store, { markReads }), batches, release, failOnce: () => (failNext = true) };
}

for (const dialect of DIALECTS) {
  describe(`ReadBatcher (${dialect})`, () => {
    const fixture = storeFixture(dialect, async (store) => {
      const alice = await makeUser(store, 'client', 'alice');
      const bob = await makeUser(store, 'cleaner', 'bob');
      const roomIds: number[] = [];
      for (let i = 0; i < 3; i++) roomIds.push(await plainRoom(store, [alice, bob], `Room ${i}`));
      // Three messages from Bob in every room.
      await store.appendMessages(roomIds.flatMap((roomId) => [1, 2, 3].map((n) => text(roomId, bob, `m${n}`))));
      return { alice, bob, roomIds };
    });

    it('sends the reads of one tick as one batch and answers each with its own outcome', async () => {
      const { db, alice, bob, roomIds } = fixture;
      const recorded = recordingStore(db.store);
      const batcher = new ReadBatcher({ store: recorded.store, maxBatch: 100 });
      const [r0, r1, r2] = roomIds as [number, number, number];
      const answers = await Promise.all([
        batcher.mark({ roomId: r0, userId: alice.id, seq: 3 }),
        batcher.mark({ roomId: r1, userId: alice.id, seq: 1 }),
        batcher.mark({ roomId: r2, userId: bob.id, seq: 3 }),
      ]);
      expect(recorded.batches).toHaveLength(1);
      expect(answers).toMatchObject([
        { roomId: r0, userId: alice.id, lastReadSeq: 3, moved: true, unread: 0, totalUnread: 5 },
        { roomId: r1, userId: alice.id, lastReadSeq: 1, moved: true, unread: 2, totalUnread: 5 },
        { roomId: r2, userId: bob.id, lastReadSeq: 3, moved: true, unread: 0, totalUnread: 0 },
      ]);
    });

    it('gathers the reads that arrive while a batch commits into the next one, up to maxBatch', async () => {
      const { db, alice, roomIds } = fixture;
      const recorded = recordingStore(db.store, true);
      const batcher = new ReadBatcher({ store: recorded.store, maxBatch: 2 });
      const [r0, r1, r2] = roomIds as [number, number, number];
      const first = batcher.mark({ roomId: r0, userId: alice.id, seq: 1 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(recorded.batches).toHaveLength(1); // in flight, held
      const later = [
        batcher.mark({ roomId: r0, userId: alice.id, seq: 2 }),
        batcher.mark({ roomId: r1, userId: alice.id, seq: 2 }),
        batcher.mark({ roomId: r2, userId: alice.id, seq: 2 }),
      ];
      await new Promise((resolve) => setImmediate(resolve));
      expect(recorded.batches).toHaveLength(1); // nothing else starts while one commits
      recorded.release();
      const answers = await Promise.all([first, ...later]);
      expect(recorded.batches.map((b) => b.length)).toEqual([1, 2, 1]);
      expect(answers.map((a) => a.lastReadSeq)).toEqual([1, 2, 2, 2]);
      // Alice's last answer counts every mark before it: one unread left in each room.
      expect(answers.at(-1)?.totalUnread).toBe(3);
      await batcher.drain();
    });

    it('fails every read of a failed batch and goes on with the next', async () => {
      const { db, alice, roomIds } = fixture;
      const recorded = recordingStore(db.store);
      const batcher = new ReadBatcher({ store: recorded.store, maxBatch: 100 });
      const [r0, r1] = roomIds as [number, number];
      recorded.failOnce();
      const failed = await Promise.allSettled([batcher.mark({ roomId: r0, userId: alice.id, seq: 3 }), batcher.mark({ roomId: r1, userId: alice.id, seq: 3 })]);
      expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      // Nothing was moved: the retry moves the mark.
      await expect(batcher.mark({ roomId: r0, userId: alice.id, seq: 3 })).resolves.toMatchObject({ moved: true, unread: 0, totalUnread: 6 });
      expect(recorded.batches).toHaveLength(2);
    });
  });
}
