/**
 * The stores sum a user's unread total and version in SQL (a support agent
 * is in thousands of rooms). Over both dialects: for a user in many rooms —
 * closed ones, ones with their own messages after the read mark, ones read
 * to the end or partly — `unreadFor` and `markReads` give exactly what the
 * row-by-row definition of unreadCounts.ts gives over the participant rows.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import type { KyselyStore } from '../../src/storage/kyselyStore.ts';
import type { ReadMark, UnreadCount } from '../../src/storage/store.ts';
import { roomCountVersion, unreadOfRow, userCountVersionTerm, type UnreadRow } from '../../src/storage/unreadCounts.ts';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { makeUser, plainRoom, system, text } from './people.ts';

/** Every participant row of `userIds` with its room's counters, as the stores once read them all. */
async function participantRows(store: KyselyStore, userIds: number[]): Promise<UnreadRow[]> {
  const rows = await store.db
    .selectFrom('participants as p')
    .innerJoin('rooms as r', 'r.id', 'p.room_id')
    .select(['p.user_id', 'p.room_id', 'p.last_read_seq', 'p.own_after_read', 'r.last_seq', 'r.is_active'])
    .where('p.user_id', 'in', userIds)
    .execute();
  return rows.map((row) => ({ ...row, is_active: Number(row.is_active) }));
}

/** The counts of `pairs` by the definition, row by row: per room, and each user's sums over all their rows. */
function expectedCounts(rows: UnreadRow[], pairs: { userId: number; roomId: number }[]): UnreadCount[] {
  return pairs.map(({ userId, roomId }) => {
    const mine = rows.filter((row) => row.user_id === userId);
    const room = mine.find((row) => row.room_id === roomId);
    return {
      userId,
      roomId,
      unread: room ? unreadOfRow(room) : 0,
      totalUnread: mine.reduce((sum, row) => sum + (row.is_active ? unreadOfRow(row) : 0), 0),
      roomVersion: room ? roomCountVersion(room) : 0,
      userVersion: mine.reduce((sum, row) => sum + userCountVersionTerm(row), 0),
    };
  });
}

const ROOMS = 24;

for (const dialect of DIALECTS) {
  describe(`unread totals summed by the database (${dialect})`, () => {
    const fixture = storeFixture(dialect, async (store) => {
      const agent = await makeUser(store, 'support', 'agent');
      const client = await makeUser(store, 'client', 'client');
      const loner = await makeUser(store, 'client', 'loner');
      const roomIds: number[] = [];
      for (let i = 0; i < ROOMS; i++) roomIds.push(await plainRoom(store, [agent, client], `Room ${i}`));
      const elsewhere = await plainRoom(store, [client], 'Without the agent');
      return { agent, client, loner, roomIds, elsewhere };
    });

    /** Rooms in every state a count can be in: each room's history and the agent's mark differ with its index. */
    async function fillRooms(agent: User, client: User): Promise<void> {
      const { store, roomIds } = fixture;
      await store.appendMessages(
        roomIds.flatMap((roomId, i) => [
          ...Array.from({ length: i % 5 }, (_, n) => text(roomId, client, `c${i}.${n}`)),
          ...(i % 3 === 0 ? [system(roomId, `s${i}`)] : []),
        ]),
      );
      // Read to the end (i % 4 = 1), partly (i % 4 = 2), not at all (else).
      await store.markReads(roomIds.flatMap((roomId, i) => (i % 4 === 1 ? [{ roomId, userId: agent.id, seq: 1_000 }] : i % 4 === 2 ? [{ roomId, userId: agent.id, seq: 1 }] : [])));
      // The agent's own messages after their mark: in read-to-the-end rooms too.
      await store.appendMessages(roomIds.flatMap((roomId, i) => (i % 2 === 1 ? [text(roomId, agent, `own ${i}`), text(roomId, agent, `own ${i}b`)] : [])));
      await store.appendMessages(roomIds.flatMap((roomId, i) => (i % 6 === 5 ? [text(roomId, client, `after ${i}`)] : [])));
      for (const [i, roomId] of roomIds.entries()) if (i % 7 === 3) await store.setRoomActive(roomId, false);
    }

    it('answers every pair of a batch as the row-by-row definition does (several rooms of one user, repeats, strangers)', async () => {
      const { store, agent, client, loner, roomIds, elsewhere } = fixture;
      await fillRooms(agent, client);
      const pairs = [
        ...roomIds.map((roomId) => ({ userId: agent.id, roomId })),
        { userId: agent.id, roomId: roomIds[2] as number }, // asked twice
        { userId: agent.id, roomId: elsewhere }, // a room the agent is not in
        { userId: client.id, roomId: elsewhere },
        { userId: client.id, roomId: roomIds[5] as number },
        { userId: loner.id, roomId: roomIds[0] as number }, // in no room at all
      ];
      const counts = await store.unreadFor(pairs);
      const expected = expectedCounts(await participantRows(store as KyselyStore, [agent.id, client.id, loner.id]), pairs);
      expect(counts).toEqual(expected);
      // The rooms really are in different states: closed rooms with unread left out, own messages not counted.
      expect(new Set(counts.slice(0, ROOMS).map((c) => c.unread)).size).toBeGreaterThan(2);
      expect(expected[0]?.totalUnread).toBeLessThan(expected.slice(0, ROOMS).reduce((sum, c) => sum + c.unread, 0));
    });

    it('answers a read batch with the counts of the definition after the batch', async () => {
      const { store, agent, client, roomIds, elsewhere } = fixture;
      await fillRooms(agent, client);
      const marks: ReadMark[] = [
        { roomId: roomIds[0] as number, userId: agent.id, seq: 1 },
        { roomId: roomIds[4] as number, userId: agent.id, seq: 1_000 },
        { roomId: roomIds[3] as number, userId: agent.id, seq: 2 }, // a closed room
        { roomId: roomIds[0] as number, userId: agent.id, seq: 2 }, // the same pair again
        { roomId: roomIds[9] as number, userId: client.id, seq: 1 },
        { roomId: elsewhere, userId: agent.id, seq: 1 }, // not a participant
      ];
      const marked = await store.markReads(marks);
      const expected = expectedCounts(await participantRows(store as KyselyStore, [agent.id, client.id]), marks);
      expect(marked.map(({ lastReadSeq: _l, moved: _m, ...count }) => count)).toEqual(expected);
      expect(marked.map((m) => m.moved)).toEqual([false, true, true, true, true, false]);
    });
  });
}
