/**
 * The PostgreSQL statements that store a batch of messages. Every list
 * travels as ONE array parameter (`= any($1)`, `unnest($1, $2, …)`), so a
 * statement's text is the same whatever the batch size: a named statement
 * planned once per connection (with lists spelled out, each batch size was a
 * new text planned anew, about 1 ms of the database's CPU per statement
 * here). All writes of a batch go in one statement (`storeNumbered`); a
 * batch of plain sends needs no lookups and runs it with no transaction
 * around it. SQLite stores batches through prepared statements instead
 * (sqliteHotPath.ts).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema.ts';
import type { MessageRow } from './rows.ts';

/** Column i of every row, as one array parameter. */
const column = <T>(rows: readonly (readonly T[])[], i: number): T[] => rows.map((row) => row[i] as T);

export type RoomSeat = { id: number; is_active: number };
export type AttachmentSeat = Pick<Selectable<Database['attachments']>, 'id' | 'room_id' | 'uploader_id' | 'message_id' | 'mime'>;

export class BatchStatements {
  constructor(private readonly trx: Kysely<Database>) {}

  /** The rooms, locked FOR UPDATE in id order (so concurrent batches cannot deadlock) while the batch is planned. */
  async lockRooms(ids: number[]): Promise<RoomSeat[]> {
    const { rows } = await sql<RoomSeat>`select id, is_active from rooms
      where id = any(${ids}::bigint[]) order by id for update`.execute(this.trx);
    return rows;
  }

  /** Stored messages with these (sender, clientId) keys. */
  async findStored(keys: { senderId: number; clientId: string }[]): Promise<MessageRow[]> {
    if (keys.length === 0) return [];
    const { rows } = await sql<MessageRow>`select m.* from messages m
      join unnest(${keys.map((k) => k.senderId)}::bigint[], ${keys.map((k) => k.clientId)}::text[]) as k(sender_id, client_id)
        on m.sender_id = k.sender_id and m.client_id = k.client_id`.execute(this.trx);
    return rows;
  }

  async replyRooms(ids: number[]): Promise<{ id: number; room_id: number }[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<{ id: number; room_id: number }>`select id, room_id from messages where id = any(${ids}::bigint[])`.execute(this.trx);
    return rows;
  }

  async attachments(ids: number[]): Promise<AttachmentSeat[]> {
    if (ids.length === 0) return [];
    const { rows } = await sql<AttachmentSeat>`select id, room_id, uploader_id, message_id, mime from attachments
      where id = any(${ids}::bigint[])`.execute(this.trx);
    return rows;
  }

  /** Links each [attachmentId, messageId] attachment to the message that carries it. */
  async linkAttachments(rows: [number, number][]): Promise<void> {
    for (const [attachmentId, messageId] of rows) {
      await this.trx.updateTable('attachments').set({ message_id: messageId }).where('id', '=', attachmentId).execute();
    }
  }
}

/**
 * Stores planned rows in ONE statement: each room's counter is bumped (its
 * row lock, taken in id order by `locked` before anything is written,
 * serialises concurrent writers on any node without deadlocks), the
 * senders' participant rows are locked in (room, user) order by
 * `own_locked` — the order read marks lock them in (`ecc_mark_reads_counted`) —
 * before their own-message counts are raised, and a row's
 * seq is the room's previous last_seq plus the row's place among the batch's
 * rows of that room (`rows[i].seq`, from 1). Whatever the batch cannot store
 * aborts the whole statement through a constraint, so nothing is stored and
 * no seq is used: a missing or closed room leaves the seq null (not null
 * violation), a stored clientId is a unique violation. Run alone it commits
 * by itself. Returns each row's id and seq, in row order.
 */
export async function storeNumbered(
  db: Kysely<Database>,
  rows: Omit<MessageRow, 'id'>[],
  roomCounts: [number, number][],
  ownCounts: [number, number, number][],
  updatedAt: string,
): Promise<{ id: number; seq: number }[]> {
  const pick = <K extends keyof Omit<MessageRow, 'id'>>(key: K) => rows.map((r) => r[key]);
  const { rows: stored } = await sql<{ id: number; room_id: number; seq: number; place: number }>`with locked as (
      select id from rooms where id = any(${column(roomCounts, 0)}::bigint[]) and is_active = 1 order by id for update
    ), bumped as (
      update rooms as r set last_seq = r.last_seq + v.n, updated_at = ${updatedAt}
      from locked l join unnest(${column(roomCounts, 0)}::bigint[], ${column(roomCounts, 1)}::bigint[]) as v(id, n) on v.id = l.id
      where r.id = l.id
      returning r.id, r.last_seq - v.n as base
    ), inserted as (
      insert into messages (room_id, seq, sender_id, type, content, attachment_id, reply_to_id, client_id, created_at)
      select v.room_id, b.base + v.place, v.sender_id, v.type, v.content, v.attachment_id, v.reply_to_id, v.client_id, v.created_at
      from unnest(${pick('room_id')}::int[], ${pick('seq')}::int[], ${pick('sender_id')}::int[], ${pick('type')}::text[],
        ${pick('content')}::text[], ${pick('attachment_id')}::int[], ${pick('reply_to_id')}::bigint[], ${pick('client_id')}::text[],
        ${pick('created_at')}::text[])
        as v(room_id, place, sender_id, type, content, attachment_id, reply_to_id, client_id, created_at)
      left join bumped b on b.id = v.room_id
      returning id, room_id, seq
    ), own_locked as (
      select p.room_id, p.user_id, v.n from participants p
        join unnest(${column(ownCounts, 0)}::bigint[], ${column(ownCounts, 1)}::bigint[], ${column(ownCounts, 2)}::bigint[]) as v(room_id, user_id, n)
          on p.room_id = v.room_id and p.user_id = v.user_id
        join bumped b on b.id = v.room_id
      order by p.room_id, p.user_id for update of p
    ), own as (
      update participants as p set own_after_read = p.own_after_read + o.n
      from own_locked o where p.room_id = o.room_id and p.user_id = o.user_id
    )
    select i.id, i.room_id, i.seq, i.seq - b.base as place from inserted i join bumped b on b.id = i.room_id`.execute(db);
  const bySeat = new Map(stored.map((r) => [`${r.room_id}:${Number(r.place)}`, { id: Number(r.id), seq: Number(r.seq) }]));
  return rows.map((r) => bySeat.get(`${r.room_id}:${r.seq}`) as { id: number; seq: number });
}
