/**
 * Batched read marks (`markReads`) over both dialects: one call moves many
 * marks and answers each with the reader's counts after the whole batch;
 * and on PostgreSQL, read batches and send batches touching the same
 * participant rows never deadlock (both lock them in (room, user) order).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { createStore } from '../../src/storage/index.ts';
import type { ReadMark, Store } from '../../src/storage/store.ts';
import { DIALECTS, TEST_DATABASE_URL } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { aliceAndBob, makeUser, plainRoom, send, text } from './people.ts';

for (const dialect of DIALECTS) {
  describe(`batched read marks (${dialect})`, () => {
    const fixture = storeFixture(dialect, aliceAndBob);

    it('moves every mark of a batch and answers each, in order, with the counts after all of them', async () => {
      const { store, alice, bob, roomId } = fixture;
      const second = await plainRoom(store, [alice, bob], 'Second');
      const carol = await makeUser(store, 'client', 'carol');
      await store.appendMessages([text(roomId, bob, 'a1'), text(roomId, bob, 'a2'), text(roomId, bob, 'a3')]);
      await store.appendMessages([text(second, bob, 'b1'), text(second, bob, 'b2')]);

      const marks: ReadMark[] = [
        { roomId, userId: alice.id, seq: 2 },
        { roomId: second, userId: alice.id, seq: 99 }, // past the end: clamped to 2
        { roomId, userId: alice.id, seq: 1 }, // the same pair again, lower: the higher one wins
        { roomId, userId: bob.id, seq: 3 },
        { roomId, userId: carol.id, seq: 3 }, // not a participant: nothing moves
      ];
      const marked = await store.markReads(marks);
      // Alice's total already counts both of her marks: 1 left in the first room, none in the second.
      expect(marked).toMatchObject([
        { roomId, userId: alice.id, lastReadSeq: 2, moved: false, unread: 1, totalUnread: 1 },
        { roomId: second, userId: alice.id, lastReadSeq: 2, moved: true, unread: 0, totalUnread: 1 },
        { roomId, userId: alice.id, lastReadSeq: 2, moved: true, unread: 1, totalUnread: 1 },
        { roomId, userId: bob.id, lastReadSeq: 3, moved: true, unread: 0, totalUnread: 0 },
        { roomId, userId: carol.id, lastReadSeq: 0, moved: false, unread: 0, totalUnread: 0 },
      ]);
      const [after] = await store.unreadFor([{ userId: alice.id, roomId }]);
      expect(after).toMatchObject({ userId: alice.id, roomId, unread: 1, totalUnread: 1 });
      // Every answer of a reader is read after the whole batch: the versions of a read made after it.
      expect(marked.filter((m) => m.userId === alice.id).map((m) => m.userVersion)).toEqual([1, 2, 3].map(() => after?.userVersion));
      expect(marked[0]?.roomVersion).toBe(after?.roomVersion);

      // The same batch again moves nothing; a later message is unread again.
      expect((await store.markReads(marks)).map((m) => m.moved)).toEqual([false, false, false, false, false]);
      await send(store, text(second, bob, 'b3'));
      const [again] = await store.markReads([{ roomId: second, userId: alice.id, seq: 2 }]);
      expect(again).toMatchObject({ lastReadSeq: 2, moved: false, unread: 1, totalUnread: 2 });
      expect(await store.markReads([])).toEqual([]);
    });

    it("keeps each reader's count exact through a partial read of a batch (own messages beyond the mark)", async () => {
      const { store, alice, bob, roomId } = fixture;
      // seq: 1 bob, 2 alice, 3 bob, 4 alice, 5 bob
      await store.appendMessages([text(roomId, bob, '1'), text(roomId, alice, '2'), text(roomId, bob, '3'), text(roomId, alice, '4'), text(roomId, bob, '5')]);
      const [aliceMark, bobMark] = await store.markReads([
        { roomId, userId: alice.id, seq: 1 },
        { roomId, userId: bob.id, seq: 2 },
      ]);
      expect(aliceMark).toMatchObject({ lastReadSeq: 1, unread: 2 }); // 3 and 5
      expect(bobMark).toMatchObject({ lastReadSeq: 2, unread: 1 }); // 4
    });
  });
}

/** Every participant row's count of `users` against a recount from history. */
async function expectExactCounts(store: Store, users: User[], roomIds: number[]): Promise<void> {
  for (const roomId of roomIds) {
    const page = await store.history({ roomId, limit: 1000 });
    const room = (await store.getRoomViewFor(roomId, users[0]!.id))?.room;
    for (const user of users) {
      const mark = room?.participants.find((p) => p.id === user.id)?.lastReadSeq ?? 0;
      const expected = page.messages.filter((m) => m.seq > mark && m.sender?.id !== user.id).length;
      const [counted] = await store.unreadFor([{ userId: user.id, roomId }]);
      expect(counted?.unread, `user ${user.id} in room ${roomId}`).toBe(expected);
    }
  }
}

if (DIALECTS.includes('postgres')) {
  describe('a read batch chosen as a deadlock victim on PostgreSQL', () => {
    const fixture = storeFixture('postgres', aliceAndBob);

    it('is redone and lands (a writer locking rows in another order, e.g. an older node mid-deploy)', { timeout: 30_000 }, async () => {
      const { db, store, alice, bob, roomId } = fixture;
      const second = await plainRoom(store, [alice, bob], 'Second');
      await store.appendMessages([text(roomId, bob, 'a'), text(second, bob, 'b')]);
      const [first, last] = [roomId, second].sort((a, b) => a - b) as [number, number];
      const other = new pg.Client({ connectionString: db.databaseUrl });
      await other.connect();
      try {
        await other.query(`set search_path to ${db.pgSchema}`);
        // Never the one to run the deadlock check: the batch's backend, waiting first, is the victim.
        await other.query(`set deadlock_timeout = '20s'`);
        const lockRow = (room: number) => other.query('select 1 from participants where room_id = $1 and user_id = $2 for update', [room, alice.id]);
        await other.query('begin');
        await lockRow(last);
        // The batch locks (first, alice), then waits for (last, alice)...
        const batch = store.markReads([
          { roomId: first, userId: alice.id, seq: 1 },
          { roomId: last, userId: alice.id, seq: 1 },
        ]);
        await waitForLockedReadBatches(other, 1);
        // ...and this writer, taking the rows the other way round, closes the cycle.
        await lockRow(first);
        await other.query('commit');
        const marked = await batch;
        expect(marked.map((m) => [m.lastReadSeq, m.moved, m.unread])).toEqual([
          [1, true, 0],
          [1, true, 0],
        ]);
      } finally {
        await other.end();
      }
    });
  });

  describe('batched read marks and send batches on PostgreSQL', () => {
    // A database of its own, so its deadlock counter counts only this test.
    it('never deadlock, whatever order their rooms and readers come in', { timeout: 120_000 }, async () => {
      const name = `ecc_locks_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${name}`;
      try {
        const store = await createStore({ databaseUrl: url.toString(), dataDir: os.tmpdir(), poolSize: 8 });
        await store.migrate();
        const users: User[] = [];
        for (let i = 0; i < 4; i++) users.push(await makeUser(store, 'cleaner', `u${i}`));
        const roomIds: number[] = [];
        for (let i = 0; i < 6; i++) roomIds.push(await plainRoom(store, users, `Room ${i}`));

        // Every batch touches many participant rows, listed in a different order each time:
        // sends raise the senders' own counts, reads move the readers' marks.
        let state = 11;
        const pick = <T>(list: T[]) => list[(state = (state * 1103515245 + 12345) % 2 ** 31) % list.length] as T;
        const shuffled = <T>(list: T[]) => [...list].sort(() => pick([-1, 1]));
        const sendBatch = () => store.appendMessages(shuffled(roomIds).flatMap((roomId) => [text(roomId, pick(users), 'x'), text(roomId, pick(users), 'y')]));
        const readBatch = () =>
          store.markReads(shuffled(roomIds).flatMap((roomId) => shuffled(users).map((user) => ({ roomId, userId: user.id, seq: pick([1, 5, 1_000_000]) + state % 7 }))));
        for (let round = 0; round < 40; round++) {
          const results = await Promise.allSettled([sendBatch(), readBatch(), sendBatch(), readBatch(), readBatch()]);
          expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
        }
        await expectExactCounts(store, users, roomIds);
        await store.close();

        // A backend reports its deadlocks when it exits: wait until the pool's have, then read the counter.
        for (let i = 0; i < 100; i++) {
          const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await admin.query('select pg_stat_clear_snapshot()');
        const { rows } = await admin.query<{ deadlocks: number }>('select deadlocks::int from pg_stat_database where datname = $1', [name]);
        expect(rows[0]?.deadlocks).toBe(0);
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    });
  });
}

/**
 * Waits until `count` read batches (calls of ecc_mark_reads_counted) wait for a lock. `client` may be inside a
 * transaction, where pg_stat_activity is read once and kept: each poll drops that snapshot first (without it
 * the first poll, often too early, was the answer for good — the test failed now and then, however long it waited).
 */
async function waitForLockedReadBatches(client: pg.Client, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%ecc_mark_reads_counted(%'",
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${count} lock waiter(s) after 10 s`);
}
