/**
 * The room list a participant sees (`ready`, room events). Built in two
 * queries run side by side, whatever the number of rooms: the user's rooms
 * joined with their job and last message, and the participants of those
 * rooms (then, only when last messages carry a reply or an attachment, the
 * batch lookups of rows.ts). A connect storm of thousands of users is
 * thousands of these.
 */
import { sql, type InferResult, type Kysely } from 'kysely';
import type { Participant, Room } from '@ecc/protocol';
import { compiledOnce } from './compiledOnce.ts';
import type { Database } from './schema.ts';
import { hydrateMessages, toJob, toUser, type MessageRow, type UserCache } from './rows.ts';
import type { RoomList, RoomView } from './store.ts';
import { roomCountVersion, unreadOfRow, userCountVersionTerm } from './unreadCounts.ts';

/**
 * The rooms of `userId`, most recently active first. `closeGraceMs` (the server's ROOM_CLOSE_GRACE_MS) dates
 * the closing of finished jobs' rooms (closesAt); without it the rooms come without closesAt (benches, storage tests).
 */
export async function listRoomsFor(db: Kysely<Database>, users: UserCache, userId: number, closeGraceMs?: number): Promise<RoomList> {
  // The `ready` path: the same two statements for every user, compiled once.
  const [rooms, members] = await Promise.all([allRooms(db, userId), allMembers(db, userId)]);
  // From the room rows only: the participant rows are another statement, maybe a later snapshot.
  const userVersion = rooms.reduce((sum, r) => sum + userCountVersionTerm(r), 0);
  return { rooms: await toRooms(db, users, rooms, members, closeGraceMs), userVersion };
}

/** One room as `userId` sees it, or null when not a participant. */
export async function roomFor(
  db: Kysely<Database>,
  users: UserCache,
  userId: number,
  roomId: number,
  closeGraceMs?: number,
): Promise<RoomView | null> {
  const { roomQuery, memberQuery } = buildQueries(db, userId);
  const [rows, members] = await Promise.all([
    roomQuery
      .where('r.id', '=', roomId)
      // The user's version, in the same statement as the room's count: userCountVersionTerm (unreadCounts.ts) summed.
      .select(
        sql<number>`(select coalesce(sum(r2.last_seq + p2.last_read_seq + (1 - r2.is_active)), 0)
          from participants p2 join rooms r2 on r2.id = p2.room_id where p2.user_id = ${userId})`.as('user_version'),
      )
      .execute(),
    memberQuery.where('p.room_id', '=', roomId).execute(),
  ]);
  const [row] = rows;
  const [room] = await toRooms(db, users, rows, members, closeGraceMs);
  return row && room ? { room, roomVersion: roomCountVersion(row), userVersion: Number(row.user_version) } : null;
}

type Queries = ReturnType<typeof buildQueries>;
type RoomRow = InferResult<Queries['roomQuery']>[number];
type MemberRow = InferResult<Queries['memberQuery']>[number];

const allRooms = compiledOnce((db, userId: number) => buildQueries(db, userId).roomQuery, [-1]);
const allMembers = compiledOnce(
  (db, userId: number) =>
    buildQueries(db, userId).memberQuery.where('p.room_id', 'in', (eb) =>
      eb.selectFrom('participants as mine').select('mine.room_id').where('mine.user_id', '=', userId),
    ),
  [-1],
);

function buildQueries(db: Kysely<Database>, userId: number) {
  const roomQuery = db
    .selectFrom('participants as p')
    .innerJoin('rooms as r', 'r.id', 'p.room_id')
    .leftJoin('jobs as j', 'j.id', 'r.job_id')
    // The room's last message is the one at last_seq: an index probe on (room_id, seq).
    .leftJoin('messages as m', (join) => join.onRef('m.room_id', '=', 'r.id').onRef('m.seq', '=', 'r.last_seq'))
    .select(['r.id', 'r.type', 'r.name', 'r.job_id', 'r.is_active', 'r.last_seq', 'r.updated_at', 'p.last_read_seq', 'p.own_after_read'])
    .select([
      'j.title as j_title',
      'j.description as j_description',
      'j.address as j_address',
      'j.scheduled_at as j_scheduled_at',
      'j.client_id as j_client_id',
      'j.cleaner_id as j_cleaner_id',
      'j.status as j_status',
      'j.status_changed_at as j_status_changed_at',
      'j.created_at as j_created_at',
    ])
    .select([
      'm.id as m_id',
      'm.sender_id as m_sender_id',
      'm.type as m_type',
      'm.content as m_content',
      'm.attachment_id as m_attachment_id',
      'm.reply_to_id as m_reply_to_id',
      'm.client_id as m_client_id',
      'm.created_at as m_created_at',
      'm.edited_at as m_edited_at',
      'm.deleted_at as m_deleted_at',
      'm.deleted_by as m_deleted_by',
      'm.actor_id as m_actor_id',
    ])
    .where('p.user_id', '=', userId)
    .orderBy('r.updated_at', 'desc')
    .orderBy('r.id', 'desc');
  const memberQuery = db
    .selectFrom('participants as p')
    .innerJoin('users as u', 'u.id', 'p.user_id')
    .select(['p.room_id', 'p.last_read_seq', 'u.id', 'u.username', 'u.display_name', 'u.role', 'u.last_seen'])
    .orderBy('p.joined_at')
    .orderBy('u.id');
  return { roomQuery, memberQuery };
}

/**
 * When an active room of a completed or cancelled job closes: its status
 * change + the grace, the moment the sweeper (roomSweeper.ts, rooms.roomsToClose)
 * takes it. Null for any other room: it does not close on its own.
 */
export function closingTime(row: { is_active: number; j_status: string | null; j_status_changed_at: string | null }, closeGraceMs: number): string | null {
  const finished = row.j_status === 'completed' || row.j_status === 'cancelled';
  if (row.is_active !== 1 || !finished || row.j_status_changed_at === null) return null;
  return new Date(Date.parse(row.j_status_changed_at) + closeGraceMs).toISOString();
}

async function toRooms(db: Kysely<Database>, users: UserCache, rooms: RoomRow[], members: MemberRow[], closeGraceMs: number | undefined): Promise<Room[]> {
  if (rooms.length === 0) return [];

  const lastRows: MessageRow[] = rooms.flatMap((r) =>
    r.m_id === null || r.m_type === null || r.m_content === null || r.m_created_at === null
      ? []
      : [
          {
            id: r.m_id,
            room_id: r.id,
            seq: r.last_seq,
            sender_id: r.m_sender_id,
            type: r.m_type,
            content: r.m_content,
            attachment_id: r.m_attachment_id,
            reply_to_id: r.m_reply_to_id,
            client_id: r.m_client_id,
            created_at: r.m_created_at,
            edited_at: r.m_edited_at,
            deleted_at: r.m_deleted_at,
            deleted_by: r.m_deleted_by,
            actor_id: r.m_actor_id,
          },
        ],
  );
  const lastByRoom = new Map((await hydrateMessages(db, users, lastRows)).map((m) => [m.roomId, m]));
  const participantsByRoom = new Map<number, Participant[]>();
  for (const m of members) {
    const list = participantsByRoom.get(m.room_id) ?? [];
    list.push({ ...toUser(m), online: false, lastSeen: m.last_seen, lastReadSeq: m.last_read_seq });
    participantsByRoom.set(m.room_id, list);
  }
  return rooms.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    job:
      r.job_id === null || r.j_title === null || r.j_client_id === null || r.j_status === null
        ? null
        : toJob(
            {
              id: r.job_id,
              title: r.j_title,
              description: r.j_description ?? '',
              address: r.j_address,
              scheduled_at: r.j_scheduled_at,
              client_id: r.j_client_id,
              cleaner_id: r.j_cleaner_id,
              status: r.j_status,
              status_changed_at: r.j_status_changed_at ?? r.updated_at,
              created_at: r.j_created_at ?? r.updated_at,
            },
            r.id,
          ),
    participants: participantsByRoom.get(r.id) ?? [],
    unread: unreadOfRow(r),
    lastSeq: r.last_seq,
    lastMessage: lastByRoom.get(r.id) ?? null,
    updatedAt: r.updated_at,
    isActive: r.is_active === 1,
    ...(closeGraceMs === undefined ? {} : { closesAt: closingTime(r, closeGraceMs) }),
  }));
}
