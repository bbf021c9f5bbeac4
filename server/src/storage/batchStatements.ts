/**
 * The statements that store a batch of messages through Kysely, in two
 * forms with the same meaning:
 *
 * - PostgreSQL: every list travels as ONE array parameter (`= any($1)`,
 *   `unnest($1, $2, …)`), so a statement's text is the same whatever the
 *   batch size. It is then a named statement planned once per connection;
 *   with lists spelled out, each batch size was a new text planned anew
 *   (about 1 ms of the database's CPU per statement here). All writes of a
 *   batch go in one statement (`writeAllPostgres`).
 * - SQLite (only for system messages stored inside another transaction;
 *   sends use sqliteHotPath.ts): IN lists, `WITH v AS (VALUES …)`, one
 *   statement per table.
 */
import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Database, MessagesTable } from './schema.ts';
import type { MessageRow } from './rows.ts';
import type { Dialect } from './store.ts';

/** Rows per statement in the spelled-out form: well under SQLite's bound-parameter limit. */
const CHUNK = 500;

function chunked<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** `(cast(a as bigint), …), …` for the spelled-out form. */
function valuesList(rows: readonly (readonly number[])[]): RawBuilder<unknown> {
  return sql.join(rows.map((row) => sql`(${sql.join(row.map((v) => sql`cast(${v} as bigint)`))})`));
}

/** The ids RETURNING gave, in the order of `rows` (matched by room and seq, which are unique: RETURNING promises no order). */
function idsInRowOrder(rows: Omit<MessageRow, 'id'>[], stored: { id: number; room_id: number; seq: number }[]): number[] {
  const idBySeat = new Map(stored.map((r) => [`${r.room_id}:${r.seq}`, Number(r.id)]));
  return rows.map((r) => idBySeat.get(`${r.room_id}:${r.seq}`) as number);
}

/** Column i of every row, as one array parameter. */
const column = <T>(rows: readonly (readonly T[])[], i: number): T[] => rows.map((row) => row[i] as T);

export type RoomSeat = { id: number; is_active: number; last_seq: number };
export type AttachmentSeat = Pick<Selectable<Database['attachments']>, 'id' | 'room_id' | 'uploader_id' | 'message_id' | 'mime'>;

export class BatchStatements {
  constructor(
    private readonly trx: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  private get pg(): boolean {
    return this.dialect === 'postgres';
  }

  /** The rooms' seq counters, locked FOR UPDATE on PostgreSQL (in id order, so concurrent batches cannot deadlock). */
  async lockRooms(ids: number[]): Promise<RoomSeat[]> {
    if (this.pg) {
      const { rows } = await sql<RoomSeat>`select id, is_active, last_seq from rooms
        where id = any(${ids}::bigint[]) order by id for update`.execute(this.trx);
      return rows;
    }
    return this.trx.selectFrom('rooms').select(['id', 'is_active', 'last_seq']).where('id', 'in', ids).orderBy('id').execute();
  }

  /** Stored messages with these (sender, clientId) keys. */
  async findStored(keys: { senderId: number; clientId: string }[]): Promise<MessageRow[]> {
    if (keys.length === 0) return [];
    if (this.pg) {
      const { rows } = await sql<MessageRow>`select m.* from messages m
        join unnest(${keys.map((k) => k.senderId)}::bigint[], ${keys.map((k) => k.clientId)}::text[]) as k(sender_id, client_id)
          on m.sender_id = k.sender_id and m.client_id = k.client_id`.execute(this.trx);
      return rows;
    }
    // Row values: two plain IN lists would probe the (sender_id, client_id) index for their cross product.
    return this.trx
      .selectFrom('messages')
      .selectAll()
      .where(sql<boolean>`(sender_id, client_id) in (values ${sql.join(keys.map((k) => sql`(cast(${k.senderId} as bigint), cast(${k.clientId} as text))`))})`)
      .execute();
  }

  async replyRooms(ids: number[]): Promise<{ id: number; room_id: number }[]> {
    if (ids.length === 0) return [];
    return this.trx.selectFrom('messages').select(['id', 'room_id']).where('id', 'in', ids).execute();
  }

  async attachments(ids: number[]): Promise<AttachmentSeat[]> {
    if (ids.length === 0) return [];
    return this.trx.selectFrom('attachments').select(['id', 'room_id', 'uploader_id', 'message_id', 'mime']).where('id', 'in', ids).execute();
  }

  /** SQLite: inserts the rows; returns their ids in the rows' order. */
  async insertMessages(rows: Omit<MessageRow, 'id'>[]): Promise<number[]> {
    const stored: { id: number; room_id: number; seq: number }[] = [];
    for (const part of chunked(rows)) {
      stored.push(
        ...(await this.trx
          .insertInto('messages')
          .values(part as Insertable<MessagesTable>[])
          .returning(['id', 'room_id', 'seq'])
          .execute()),
      );
    }
    return idsInRowOrder(rows, stored);
  }

  /**
   * PostgreSQL only: inserts the rows, sets the rooms' last_seq and adds the
   * senders' own counts in ONE statement (data-modifying CTEs), so a batch
   * costs one round trip for all its writes. A row whose (sender, clientId)
   * is already stored is skipped (ON CONFLICT DO NOTHING): then null is
   * returned and the caller must roll back and redo the batch with lookups.
   */
  async writeAllPostgres(
    rows: Omit<MessageRow, 'id'>[],
    roomSeqs: [number, number][],
    ownCounts: [number, number, number][],
    updatedAt: string,
  ): Promise<number[] | null> {
    const pick = <K extends keyof Omit<MessageRow, 'id'>>(key: K) => rows.map((r) => r[key]);
    const { rows: stored } = await sql<{ id: number; room_id: number; seq: number }>`with inserted as (
        insert into messages (room_id, seq, sender_id, type, content, attachment_id, reply_to_id, client_id, created_at)
        select * from unnest(${pick('room_id')}::int[], ${pick('seq')}::int[], ${pick('sender_id')}::int[],
          ${pick('type')}::text[], ${pick('content')}::text[], ${pick('attachment_id')}::int[],
          ${pick('reply_to_id')}::bigint[], ${pick('client_id')}::text[], ${pick('created_at')}::text[])
        on conflict (sender_id, client_id) do nothing
        returning id, room_id, seq
      ), seqs as (
        update rooms as r set last_seq = v.last_seq, updated_at = ${updatedAt}
        from unnest(${column(roomSeqs, 0)}::bigint[], ${column(roomSeqs, 1)}::bigint[]) as v(id, last_seq)
        where r.id = v.id
      ), own as (
        update participants as p set own_after_read = p.own_after_read + v.n
        from unnest(${column(ownCounts, 0)}::bigint[], ${column(ownCounts, 1)}::bigint[], ${column(ownCounts, 2)}::bigint[]) as v(room_id, user_id, n)
        where p.room_id = v.room_id and p.user_id = v.user_id
      )
      select id, room_id, seq from inserted`.execute(this.trx);
    return stored.length === rows.length ? idsInRowOrder(rows, stored) : null;
  }

  /** SQLite: sets each room's last_seq (and updated_at) from [roomId, lastSeq] rows. */
  async setRoomsLastSeq(rows: [number, number][], updatedAt: string): Promise<void> {
    for (const part of chunked(rows)) {
      await sql`with v(id, last_seq) as (values ${valuesList(part)})
        update rooms as r set last_seq = v.last_seq, updated_at = ${updatedAt}
        from v where r.id = v.id`.execute(this.trx);
    }
  }

  /** SQLite: adds n to own_after_read of each [roomId, userId, n] participant. */
  async addOwnAfterRead(rows: [number, number, number][]): Promise<void> {
    for (const part of chunked(rows)) {
      await sql`with v(room_id, user_id, n) as (values ${valuesList(part)})
        update participants as p set own_after_read = p.own_after_read + v.n
        from v where p.room_id = v.room_id and p.user_id = v.user_id`.execute(this.trx);
    }
  }

  /** Links each [attachmentId, messageId] attachment to the message that carries it. */
  async linkAttachments(rows: [number, number][]): Promise<void> {
    for (const [attachmentId, messageId] of rows) {
      await this.trx.updateTable('attachments').set({ message_id: messageId }).where('id', '=', attachmentId).execute();
    }
  }
}
