/**
 * Rooms as a participant sees them. The room list for `ready` is built in a
 * fixed number of queries whatever the number of rooms (a connect storm of
 * thousands of users must not turn into a query per room).
 */
import { sql, type Kysely } from 'kysely';
import type { Participant, Room } from '@ecc/protocol';
import type { Database } from './schema.ts';
import { hydrateMessages, toJob, toUser, type UserCache } from './rows.ts';
import type { NewRoom, RoomAccess } from './store.ts';

export async function createRoom(db: Kysely<Database>, room: NewRoom): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await db
    .insertInto('rooms')
    .values({ type: room.type, name: room.name, job_id: room.jobId, is_active: 1, last_seq: 0, updated_at: now, created_at: now })
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

/** The rooms of `userId` (or just `onlyRoomId`), most recently active first. */
export async function listRoomsFor(db: Kysely<Database>, users: UserCache, userId: number, onlyRoomId?: number): Promise<Room[]> {
  let query = db
    .selectFrom('participants as p')
    .innerJoin('rooms as r', 'r.id', 'p.room_id')
    .select(['r.id', 'r.type', 'r.name', 'r.job_id', 'r.is_active', 'r.last_seq', 'r.updated_at', 'p.last_read_seq', 'p.own_after_read'])
    .where('p.user_id', '=', userId)
    .orderBy('r.updated_at', 'desc')
    .orderBy('r.id', 'desc');
  if (onlyRoomId !== undefined) query = query.where('r.id', '=', onlyRoomId);
  const rooms = await query.execute();
  if (rooms.length === 0) return [];
  const roomIds = rooms.map((r) => r.id);
  const withMessages = rooms.filter((r) => r.last_seq > 0);
  const jobIds = rooms.flatMap((r) => (r.job_id === null ? [] : [r.job_id]));

  const [members, lastRows, jobs] = await Promise.all([
    db
      .selectFrom('participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.room_id', 'p.last_read_seq', 'u.id', 'u.username', 'u.display_name', 'u.role', 'u.last_seen'])
      .where('p.room_id', 'in', roomIds)
      .orderBy('p.joined_at')
      .orderBy('u.id')
      .execute(),
    withMessages.length === 0
      ? []
      : db
          .selectFrom('messages')
          .selectAll()
          // The last seqs are known already: one (room_id, seq) index probe per room.
          .where(
            sql<boolean>`(room_id, seq) in (values ${sql.join(
              withMessages.map((r) => sql`(cast(${r.id} as bigint), cast(${r.last_seq} as bigint))`),
            )})`,
          )
          .execute(),
    jobIds.length === 0 ? [] : db.selectFrom('jobs').selectAll().where('id', 'in', jobIds).execute(),
  ]);
  const lastMessages = await hydrateMessages(db, users, lastRows);
  const lastByRoom = new Map(lastMessages.map((m) => [m.roomId, m]));
  const jobById = new Map(jobs.map((j) => [j.id, j]));
  const participantsByRoom = new Map<number, Participant[]>();
  for (const m of members) {
    const list = participantsByRoom.get(m.room_id) ?? [];
    list.push({ ...toUser(m), online: false, lastSeen: m.last_seen, lastReadSeq: m.last_read_seq });
    participantsByRoom.set(m.room_id, list);
  }
  return rooms.map((r) => {
    const job = r.job_id === null ? undefined : jobById.get(r.job_id);
    return {
      id: r.id,
      name: r.name,
      type: r.type,
      job: job ? toJob(job, r.id) : null,
      participants: participantsByRoom.get(r.id) ?? [],
      unread: Math.max(0, r.last_seq - r.last_read_seq - r.own_after_read),
      lastSeq: r.last_seq,
      lastMessage: lastByRoom.get(r.id) ?? null,
      updatedAt: r.updated_at,
      isActive: r.is_active === 1,
    };
  });
}

export async function findSupportRoom(db: Kysely<Database>, userId: number): Promise<number | null> {
  const row = await db
    .selectFrom('rooms as r')
    .innerJoin('participants as p', 'p.room_id', 'r.id')
    .select('r.id')
    .where('r.type', '=', 'support')
    .where('r.is_active', '=', 1)
    .where('p.user_id', '=', userId)
    .orderBy('r.id')
    .executeTakeFirst();
  return row?.id ?? null;
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
