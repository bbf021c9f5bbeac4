/**
 * Read marks: moving a reader's mark forward and keeping the O(1) unread
 * count exact (unread = last_seq - last_read_seq - own_after_read).
 *
 * After a partial read the reader's own messages beyond the new mark are
 * counted through the (room_id, seq) index on the shorter side of the mark:
 * the range just read, subtracted from the stored count, or what lies beyond
 * it. Marks only move forward, so a reader scans each message at most once,
 * and no index on the sender is needed (one index fewer written per insert).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Dialect, ReadResult } from './store.ts';

/** Where to count the reader's own messages for a mark moving to `target`; null when none can lie beyond it. */
export interface OwnCountRange {
  /** Exclusive. */
  from: number;
  /** Inclusive. */
  to: number;
  /** The range is the part just read (subtract its count from the stored one), not what lies beyond. */
  justRead: boolean;
}

export function ownCountRange(lastReadSeq: number, target: number, lastSeq: number): OwnCountRange | null {
  if (target >= lastSeq) return null;
  const justRead = target - lastReadSeq <= lastSeq - target;
  return justRead ? { from: lastReadSeq, to: target, justRead } : { from: target, to: lastSeq, justRead };
}

/** The reader's own messages beyond the new mark, from the count over `range`. */
export function ownAfterOf(range: OwnCountRange, storedOwnAfterRead: number, counted: number): number {
  return range.justRead ? Math.max(0, storedOwnAfterRead - counted) : counted;
}

/** Through Kysely, for PostgreSQL (locking the reader's row); SQLite's is in sqliteHotPath.ts. */
export async function markRead(db: Kysely<Database>, dialect: Dialect, roomId: number, userId: number, seq: number): Promise<ReadResult> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('participants')
      .select(['last_read_seq', 'own_after_read'])
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId);
    if (dialect === 'postgres') query = query.forUpdate();
    const mark = await query.executeTakeFirst();
    if (!mark) return { lastReadSeq: 0, moved: false };
    // Read last_seq only once the participant row is locked, in its own statement: a send of
    // this user that committed while we waited for the lock must be seen (a join in the
    // locking statement would keep the room row of the old snapshot and miscount own messages).
    const room = await trx.selectFrom('rooms').select('last_seq').where('id', '=', roomId).executeTakeFirstOrThrow();
    const target = Math.min(seq, room.last_seq);
    if (target <= mark.last_read_seq) return { lastReadSeq: mark.last_read_seq, moved: false };
    const range = ownCountRange(mark.last_read_seq, target, room.last_seq);
    let ownAfter = 0;
    if (range) {
      const counted = await trx
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('room_id', '=', roomId)
        .where('seq', '>', range.from)
        .where('seq', '<=', range.to)
        .where('sender_id', '=', userId)
        .executeTakeFirstOrThrow();
      ownAfter = ownAfterOf(range, mark.own_after_read, Number(counted.n));
    }
    await trx
      .updateTable('participants')
      .set({ last_read_seq: target, own_after_read: ownAfter })
      .where('room_id', '=', roomId)
      .where('user_id', '=', userId)
      .execute();
    return { lastReadSeq: target, moved: true };
  });
}
