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
import { sql, type Kysely } from 'kysely';
import { unreadCountOf, type PairCountRow } from './unreadCounts.ts';
import { retryDeadlocks } from './pgErrors.ts';
import type { Database } from './schema.ts';
import type { MarkedRead, ReadMark, ReadResult, UnreadCount } from './store.ts';

/** Tries of a read batch that PostgreSQL keeps choosing as a deadlock's victim. */
const READ_BATCH_ATTEMPTS = 3;

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

const pairKey = (roomId: number, userId: number) => `${roomId}:${userId}`;
/** The key of a merged mark's outcome for `markedReads`. */
export const readMarkKey = (mark: ReadMark) => pairKey(mark.roomId, mark.userId);

/**
 * One mark per (room, reader), the highest seq asked, in (room, reader)
 * order: the order PostgreSQL locks participant rows in, on the send path too.
 */
export function mergeReadMarks(marks: ReadMark[]): ReadMark[] {
  const highest = new Map<string, ReadMark>();
  for (const mark of marks) {
    const key = readMarkKey(mark);
    const seen = highest.get(key);
    if (!seen || mark.seq > seen.seq) highest.set(key, mark);
  }
  return [...highest.values()].sort((a, b) => a.roomId - b.roomId || a.userId - b.userId);
}

/**
 * Each mark's outcome in the order asked, with its counts (`counts[i]` for
 * `marks[i]`, read after the batch). A pair asked more than once shares one
 * outcome, and only its last entry says `moved`, so one receipt goes out.
 */
export function markedReads(marks: ReadMark[], outcomes: Map<string, ReadResult>, counts: UnreadCount[]): MarkedRead[] {
  const lastEntry = new Map(marks.map((m, i) => [readMarkKey(m), i]));
  return marks.map((mark, i) => {
    const key = readMarkKey(mark);
    const outcome = outcomes.get(key) ?? { lastReadSeq: 0, moved: false };
    return { ...(counts[i] as MarkedRead), lastReadSeq: outcome.lastReadSeq, moved: outcome.moved && lastEntry.get(key) === i };
  });
}

/**
 * PostgreSQL: a batch of marks in one round trip to `ecc_mark_reads_counted`
 * (migrations.ts), which moves each through `ecc_mark_read` and returns each
 * merged mark's row and counts as they are after the batch.
 */
export async function markReadsPostgres(db: Kysely<Database>, marks: ReadMark[]): Promise<MarkedRead[]> {
  if (marks.length === 0) return [];
  const merged = mergeReadMarks(marks);
  const pick = (key: keyof ReadMark) => merged.map((m) => m[key]);
  type MarkRow = PairCountRow & { user_id: number; room_id: number; last_read_seq: number | null; moved: boolean };
  // A batch PostgreSQL chose as a deadlock's victim is redone (marks only move forward, so a redo is safe). Our
  // own writers lock participant rows in one order and cannot deadlock with it; a writer that does not — a node
  // of an older version during a rolling deploy — can.
  const rows = await retryDeadlocks(
    async () =>
      (
        await sql<MarkRow>`select * from ecc_mark_reads_counted(
          ${pick('roomId')}::integer[], ${pick('userId')}::integer[], ${pick('seq')}::bigint[])`.execute(db)
      ).rows,
    READ_BATCH_ATTEMPTS,
  );
  const byPair = new Map(rows.map((row) => [pairKey(row.room_id, row.user_id), row]));
  const outcomes = new Map<string, ReadResult>();
  for (const mark of merged) {
    const row = byPair.get(readMarkKey(mark));
    // Not a participant: no mark, nothing moved.
    if (row && row.last_read_seq !== null) outcomes.set(readMarkKey(mark), { lastReadSeq: row.last_read_seq, moved: row.moved });
  }
  return markedReads(marks, outcomes, marks.map((mark) => unreadCountOf(mark, byPair.get(readMarkKey(mark)))));
}

