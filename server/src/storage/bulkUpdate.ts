/**
 * Many-row UPDATEs in one statement: `WITH v(cols) AS (VALUES …) UPDATE t
 * SET … FROM v WHERE …`, a form SQLite (3.33+) and PostgreSQL both accept.
 * The hot path uses it so a batch touching hundreds of rooms costs one
 * round trip per table instead of one per row.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.ts';

/** Integer columns only: every value is cast, so PostgreSQL knows the VALUES types. */
type IntRow = readonly number[];

/** Rows per statement: well under both databases' bound-parameter limits. */
const CHUNK = 1000;

function valuesList(rows: IntRow[]): RawBuilder<unknown> {
  return sql.join(rows.map((row) => sql`(${sql.join(row.map((v) => sql`cast(${v} as bigint)`))})`));
}

/** Sets each room's last_seq (and updated_at) from `rows` of [roomId, lastSeq]. */
export async function setRoomsLastSeq(db: Kysely<Database>, rows: [number, number][], updatedAt: string): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await sql`with v(id, last_seq) as (values ${valuesList(part)})
      update rooms as r set last_seq = v.last_seq, updated_at = ${updatedAt}
      from v where r.id = v.id`.execute(db);
  }
}

/** Adds `n` to own_after_read of each [roomId, userId, n] participant. */
export async function addOwnAfterRead(db: Kysely<Database>, rows: [number, number, number][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await sql`with v(room_id, user_id, n) as (values ${valuesList(part)})
      update participants as p set own_after_read = p.own_after_read + v.n
      from v where p.room_id = v.room_id and p.user_id = v.user_id`.execute(db);
  }
}

/** Links each [attachmentId, messageId] attachment to the message that carries it. */
export async function linkAttachments(db: Kysely<Database>, rows: [number, number][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await sql`with v(id, message_id) as (values ${valuesList(part)})
      update attachments as a set message_id = v.message_id
      from v where a.id = v.id`.execute(db);
  }
}
