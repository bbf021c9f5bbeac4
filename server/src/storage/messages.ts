/**
 * Messages: group-committed appends, history pages, edits, read marks and
 * unread counts. Everything here is on the hot path, so work is done per
 * batch (a handful of queries) rather than per message.
 */
import { sql, type Kysely } from 'kysely';
import type { Message } from '@ecc/protocol';
import type { Database } from './schema.ts';
import { BatchStatements, storeNumbered } from './batchStatements.ts';
import { idsOf, keyOf, planAppend, resultsOfPlan, rowsOfPlan, type AppendPlan } from './appendPlan.ts';
import { DEADLOCK_DETECTED, NOT_NULL_VIOLATION, pgErrorCode, UNIQUE_VIOLATION } from './pgErrors.ts';
import { hydrateMessages, type UserCache } from './rows.ts';
import type { AppendResult, DeletedMessage, HistoryPage, HistoryQuery, NewMessage, UnreadCount } from './store.ts';
import { unreadCountOf, type PairCountRow } from './unreadCounts.ts';

/**
 * PostgreSQL: stores a batch inside an open transaction. The rooms' rows are
 * locked FOR UPDATE while the batch is planned against what the database
 * holds (closed rooms, replies, uploads, and — unless `optimistic`, a repeat
 * being rare — stored clientIds; optimistic, only those of sends to a closed
 * or missing room). A clientId stored meanwhile still aborts
 * the write with a unique violation. SQLite stores batches in sqliteHotPath.ts.
 */
export async function appendInTransaction(
  trx: Kysely<Database>,
  users: UserCache,
  batch: NewMessage[],
  optimistic = false,
): Promise<AppendResult[]> {
  const now = new Date().toISOString();
  const statements = new BatchStatements(trx);
  const rooms = await statements.lockRooms(idsOf(batch, 'roomId').sort((a, b) => a - b));
  // Optimistic, a send is looked up only when its room refuses it: it may retry one stored before the room closed.
  const active = new Set(rooms.flatMap((r) => (r.is_active ? [r.id] : [])));
  const keys = batch.flatMap((e) =>
    e.senderId !== null && e.clientId !== null && (!optimistic || !active.has(e.roomId)) ? [{ senderId: e.senderId, clientId: e.clientId }] : [],
  );
  const [existing, replies, attachments] = await Promise.all([
    statements.findStored(keys),
    statements.replyRooms(idsOf(batch, 'replyToId')),
    statements.attachments(idsOf(batch, 'attachmentId')),
  ]);
  const plan = planAppend(
    batch,
    {
      rooms: new Map(rooms.map((r) => [r.id, { is_active: r.is_active, seqBase: 0 }])),
      existingByKey: new Map(existing.map((row) => [keyOf(row.sender_id, row.client_id) as string, row])),
      replyRoom: new Map(replies.map((r) => [r.id, r.room_id])),
      attachments: new Map(attachments.map((a) => [a.id, a])),
    },
    now,
  );
  const stored = await storePlan(trx, users, plan, now);
  await statements.linkAttachments(stored.attachmentLinks);
  return stored.results;
}

/**
 * Writes a plan made against rooms counted from 0 (a new row's seq is its
 * place in its room within the batch, the rooms' seqs are counts): the
 * statement numbers them from each room's counter.
 */
async function storePlan(db: Kysely<Database>, users: UserCache, plan: AppendPlan, now: string) {
  const newRows = plan.entries.flatMap((p) => (p.kind === 'new' ? [p.row] : []));
  const seats = newRows.length === 0 ? [] : await storeNumbered(db, newRows, plan.roomSeqs, plan.ownCounts, now);
  // The plan's rows take their stored seqs (same objects), so the results carry them.
  newRows.forEach((row, i) => (row.seq = (seats[i] as { seq: number }).seq));
  const { rows, rowIndex, attachmentLinks } = rowsOfPlan(plan, seats.map((s) => s.id));
  return { results: resultsOfPlan(plan, rowIndex, await hydrateMessages(db, users, rows)), attachmentLinks };
}

/** What makes the write of a plain batch give up: a stored clientId, a missing or closed room (seq null), a deadlock with another node. */
const PLAIN_ABORTS = new Set([UNIQUE_VIOLATION, NOT_NULL_VIOLATION, DEADLOCK_DETECTED]);

/**
 * PostgreSQL, a batch of plain sends (the usual case): the write alone, no
 * transaction around it — one round trip instead of BEGIN, lock, write and
 * COMMIT. Throws (storing nothing) where the batch needs the lookups of
 * `appendInTransaction`.
 */
async function appendPlain(db: Kysely<Database>, users: UserCache, batch: NewMessage[]): Promise<AppendResult[]> {
  const now = new Date().toISOString();
  const rooms = new Map(idsOf(batch, 'roomId').map((id) => [id, { is_active: 1, seqBase: 0 }]));
  const plan = planAppend(batch, { rooms, existingByKey: new Map(), replyRoom: new Map(), attachments: new Map() }, now);
  return (await storePlan(db, users, plan, now)).results;
}

const isPlain = (batch: NewMessage[]): boolean => batch.every((e) => !e.replyToId && !e.attachmentId);

/** PostgreSQL: a batch of plain sends in one statement, others (or one that statement refused) in a transaction with retries. */
export async function appendMessages(db: Kysely<Database>, users: UserCache, batch: NewMessage[]): Promise<AppendResult[]> {
  if (batch.length === 0) return [];
  // A clientId is almost never repeated: first the writes without looking up stored ones.
  let optimistic = true;
  if (isPlain(batch)) {
    try {
      return await appendPlain(db, users, batch);
    } catch (err) {
      if (!PLAIN_ABORTS.has(pgErrorCode(err) as string)) throw err;
      optimistic = pgErrorCode(err) !== UNIQUE_VIOLATION;
    }
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => appendInTransaction(trx, users, batch, optimistic));
    } catch (err) {
      // A repeat found by the insert (or stored meanwhile by another node): redo with lookups, which find it.
      if (attempt >= 3 || pgErrorCode(err) !== UNIQUE_VIOLATION) throw err;
      optimistic = false;
    }
  }
}

export async function getMessage(db: Kysely<Database>, users: UserCache, id: number): Promise<Message | null> {
  const row = await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? ((await hydrateMessages(db, users, [row]))[0] ?? null) : null;
}

export async function roomOfSent(db: Kysely<Database>, senderId: number, clientId: string): Promise<number | null> {
  const row = await db.selectFrom('messages').select('room_id').where('sender_id', '=', senderId).where('client_id', '=', clientId).executeTakeFirst();
  return row?.room_id ?? null;
}

export async function history(db: Kysely<Database>, users: UserCache, q: HistoryQuery): Promise<HistoryPage> {
  let query = db.selectFrom('messages').selectAll().where('room_id', '=', q.roomId).limit(q.limit + 1);
  if (q.afterSeq !== undefined) query = query.where('seq', '>', q.afterSeq).orderBy('seq', 'asc');
  else {
    if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
    query = query.orderBy('seq', 'desc');
  }
  const rows = await query.execute();
  const hasMore = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  if (q.afterSeq === undefined) page.reverse();
  return { messages: await hydrateMessages(db, users, page), hasMore };
}

/**
 * The edited message, or null when it was deleted meanwhile (a delete is final: its text never comes back).
 * `edited_at` only moves forward: clients keep the copy with the later `editedAt`, and a node whose clock
 * is behind the one that made the previous edit would otherwise stamp the newer text with an older time.
 * Compare-and-set, so an edit on another node in between is seen too.
 */
export async function editMessage(db: Kysely<Database>, users: UserCache, id: number, content: string, at: Date): Promise<Message | null> {
  let stamp = at.toISOString();
  for (;;) {
    const result = await db
      .updateTable('messages')
      .set({ content, edited_at: stamp })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      // Every stored time is toISOString() (one width, UTC), so text order is time order.
      .where((eb) => eb.or([eb('edited_at', 'is', null), eb('edited_at', '<', stamp)]))
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) return mustGet(db, users, id);
    const row = await db.selectFrom('messages').select(['edited_at', 'deleted_at']).where('id', '=', id).executeTakeFirst();
    if (!row || row.deleted_at !== null) return null;
    if (row.edited_at !== null) stamp = new Date(Date.parse(row.edited_at) + 1).toISOString();
  }
}

/**
 * Empties the message, records who deleted it and removes its attachment's row; the caller removes the file.
 * A message already deleted keeps its first deletion (two deletes at once: the later one changes nothing), so
 * `deletedAt` and `deletedBy` always tell one deletion.
 */
export async function deleteMessage(db: Kysely<Database>, users: UserCache, id: number, at: Date, deletedBy: number): Promise<DeletedMessage> {
  const removedFile = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('messages')
      .set({ content: '', attachment_id: null, deleted_at: at.toISOString(), deleted_by: deletedBy })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .execute();
    const removed = await trx.deleteFrom('attachments').where('message_id', '=', id).returning('storage_key').executeTakeFirst();
    return removed?.storage_key ?? null;
  });
  return { message: await mustGet(db, users, id), removedFile };
}

async function mustGet(db: Kysely<Database>, users: UserCache, id: number): Promise<Message> {
  const message = await getMessage(db, users, id);
  if (!message) throw new Error(`message ${id} vanished`);
  return message;
}

/**
 * PostgreSQL: unread per (user, room) and each user's total over active rooms, in one query
 * (`ecc_unread_counts`, migrations.ts: totals summed there, one row per pair). SQLite: sqliteHotPath.ts.
 */
export async function unreadFor(db: Kysely<Database>, pairs: { userId: number; roomId: number }[]): Promise<UnreadCount[]> {
  if (pairs.length === 0) return [];
  // Array parameters: the same statement text (planned once) for any number of pairs.
  const { rows } = await sql<PairCountRow & { user_id: number; room_id: number }>`select * from ecc_unread_counts(
    ${pairs.map((p) => p.userId)}::integer[], ${pairs.map((p) => p.roomId)}::integer[])`.execute(db);
  const byPair = new Map(rows.map((row) => [`${row.user_id}:${row.room_id}`, row]));
  return pairs.map((pair) => unreadCountOf(pair, byPair.get(`${pair.userId}:${pair.roomId}`)));
}
