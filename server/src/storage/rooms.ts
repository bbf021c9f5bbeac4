/**
 * Rooms: creation, access checks, support rooms and closing. The room list a
 * participant sees is in roomList.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { User } from '@ecc/protocol';
import { appendNoticeBy } from './actorNotice.ts';
import type { AppendInTransaction } from './jobs.ts';
import type { Database } from './schema.ts';
import { pickSupportAgent } from './users.ts';
import type { Dialect, JoinOutcome, NewRoom, OpenedSupportRoom, RoomAccess } from './store.ts';

export const supportRoomName = (user: User): string => `Support · ${user.displayName}`;

/** PostgreSQL advisory lock namespace (first of two int keys; the second is the user id) of support room openers. */
const SUPPORT_OPENER_LOCK = 727_274_002;

export async function createRoom(db: Kysely<Database>, room: NewRoom): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await db
    .insertInto('rooms')
    .values({ type: room.type, name: room.name, job_id: room.jobId, agent_id: room.agentId ?? null, is_active: 1, last_seq: 0, updated_at: now, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const userIds = [...new Set(room.participantIds)];
  if (userIds.length > 0) {
    await db
      .insertInto('participants')
      .values(userIds.map((userId) => ({ room_id: id, user_id: userId, joined_at: now, last_read_seq: 0, own_after_read: 0 })))
      .execute();
  }
  return id;
}

/** Everyone who shares a room with the user (closed rooms too), without the user: one indexed query. */
export async function peersOf(db: Kysely<Database>, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('participants as mine')
    .innerJoin('participants as other', 'other.room_id', 'mine.room_id')
    .select('other.user_id')
    .distinct()
    .where('mine.user_id', '=', userId)
    .where('other.user_id', '<>', userId)
    .execute();
  return rows.map((row) => row.user_id);
}

export async function getRoomAccess(db: Kysely<Database>, roomId: number): Promise<RoomAccess | null> {
  const room = await db.selectFrom('rooms').select(['id', 'type', 'is_active']).where('id', '=', roomId).executeTakeFirst();
  if (!room) return null;
  const members = await db
    .selectFrom('participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['u.id', 'u.role'])
    .where('p.room_id', '=', roomId)
    .execute();
  return { roomId: room.id, type: room.type, isActive: room.is_active === 1, participants: new Map(members.map((m) => [m.id, m.role])) };
}

/** The user's active support room and its agent (null for a room opened by a node older than migration 012). */
export async function findSupportRoom(db: Kysely<Database>, userId: number): Promise<{ roomId: number; agentId: number | null } | null> {
  const row = await db
    .selectFrom('rooms as r')
    .innerJoin('participants as p', 'p.room_id', 'r.id')
    .select(['r.id', 'r.agent_id'])
    .where('r.type', '=', 'support')
    .where('r.is_active', '=', 1)
    .where('p.user_id', '=', userId)
    .orderBy('r.id')
    .executeTakeFirst();
  return row ? { roomId: row.id, agentId: row.agent_id } : null;
}

/**
 * The user's support room, or a new one with `agent` (by default the least
 * busy agent) and the system message `greeting(agent)`, in one transaction
 * that only one opener per user runs at a time, on every node: a concurrent
 * opener waits, then finds the room. Null when no support agent exists. `agentId` is the room's
 * agent (null for a room opened by a node older than migration 012, which recorded none).
 */
export async function openSupportRoom(
  db: Kysely<Database>,
  dialect: Dialect,
  append: AppendInTransaction,
  user: User,
  greeting: (agent: User) => string,
  agent?: User,
): Promise<OpenedSupportRoom | null> {
  return db.transaction().execute(async (trx) => {
    // SQLite needs no lock: one process, whose one connection is this transaction's until it ends.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${SUPPORT_OPENER_LOCK}::int, ${user.id}::int)`.execute(trx);
    const existing = await findSupportRoom(trx, user.id);
    if (existing !== null) return { ...existing, greeting: null };
    const handler = agent ?? (await pickSupportAgent(trx));
    if (!handler) return null;
    const roomId = await createRoom(trx, { type: 'support', name: supportRoomName(user), jobId: null, participantIds: [user.id, handler.id], agentId: handler.id });
    // Whose doing the room is: the staff member who started it, else the user who asked (Message.actorId).
    const message = await appendNoticeBy(trx, append, roomId, greeting(handler), agent ? agent.id : user.id);
    if (!message) throw new Error('could not store the support room system message');
    return { roomId, agentId: handler.id, greeting: message };
  });
}

/** Rooms per statement in `lastSeqs` (well under either database's limit on bound parameters). */
const LAST_SEQS_CHUNK = 1000;

/** Each room's last stored seq (rooms that do not exist are left out). */
export async function lastSeqs(db: Kysely<Database>, roomIds: number[]): Promise<Map<number, number>> {
  const ids = [...new Set(roomIds)];
  const seqs = new Map<number, number>();
  for (let i = 0; i < ids.length; i += LAST_SEQS_CHUNK) {
    const rows = await db.selectFrom('rooms').select(['id', 'last_seq']).where('id', 'in', ids.slice(i, i + LAST_SEQS_CHUNK)).execute();
    for (const row of rows) seqs.set(row.id, row.last_seq);
  }
  return seqs;
}

export async function setRoomActive(db: Kysely<Database>, roomId: number, isActive: boolean): Promise<void> {
  await db.updateTable('rooms').set({ is_active: isActive ? 1 : 0 }).where('id', '=', roomId).execute();
}

export async function roomsToClose(db: Kysely<Database>, closedBefore: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('rooms as r')
    .innerJoin('jobs as j', 'j.id', 'r.job_id')
    .select('r.id')
    .where('r.is_active', '=', 1)
    .where('j.status', 'in', ['completed', 'cancelled'])
    .where('j.status_changed_at', '<=', closedBefore.toISOString())
    .execute();
  return rows.map((r) => r.id);
}

/** The room closed between the check and the notice: rolls the join back. */
class ClosedMeanwhile extends Error {}

/**
 * Adds `userId` to an active room with the system message `notice`, in one transaction. The
 * participant row's primary key decides between joins at once (on any nodes): the insert that
 * happened writes the notice, the others find the row and write nothing. The joiner's mark is set
 * at the notice: they came to read the room, and a badge of everything said before they came would
 * only count what they are about to read (the notice shows everyone they can).
 */
export async function joinRoom(db: Kysely<Database>, dialect: Dialect, append: AppendInTransaction, roomId: number, userId: number, notice: string): Promise<JoinOutcome> {
  try {
    return await db.transaction().execute(async (trx): Promise<JoinOutcome> => {
      // PostgreSQL: the room row locked first, so joins of one room take turns. Otherwise the
      // participant insert's key-share lock on it (the foreign key) and the notice's FOR UPDATE
      // (lockRooms) let two joiners each wait on the other: a deadlock, one of them a 500.
      // SQLite writes one transaction at a time anyway.
      const query = trx.selectFrom('rooms').select('is_active').where('id', '=', roomId);
      const room = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
      if (!room) return { kind: 'not_found' };
      const member = await trx.selectFrom('participants').select('user_id').where('room_id', '=', roomId).where('user_id', '=', userId).executeTakeFirst();
      if (member) return { kind: 'already' };
      if (room.is_active !== 1) return { kind: 'closed' };
      const inserted = await trx
        .insertInto('participants')
        .values({ room_id: roomId, user_id: userId, joined_at: new Date().toISOString(), last_read_seq: 0, own_after_read: 0 })
        .onConflict((oc) => oc.columns(['room_id', 'user_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { kind: 'already' };
      const [result] = await append(trx, [{ roomId, senderId: null, type: 'system', content: notice, clientId: null }]);
      if (!result?.ok) {
        if (result?.code === 'ROOM_CLOSED') throw new ClosedMeanwhile();
        throw new Error(`could not store the join notice of room ${roomId}`);
      }
      await trx.updateTable('participants').set({ last_read_seq: result.message.seq }).where('room_id', '=', roomId).where('user_id', '=', userId).execute();
      return { kind: 'joined', notice: result.message };
    });
  } catch (err) {
    if (err instanceof ClosedMeanwhile) return { kind: 'closed' };
    throw err;
  }
}
