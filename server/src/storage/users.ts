/** Users, sessions and attachments. */
import { setImmediate as eventLoopTurn } from 'node:timers/promises';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { User } from '@ecc/protocol';
import { compiledOnce } from './compiledOnce.ts';
import type { Database } from './schema.ts';
import { toAttachment, toUser, type UserCache } from './rows.ts';
import type { NewAttachment, NewUser, Session, StoredAttachment, UserWithPassword } from './store.ts';

export async function createUser(db: Kysely<Database>, users: UserCache, user: NewUser): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({
      username: user.username,
      display_name: user.displayName,
      role: user.role,
      password_hash: user.passwordHash,
      last_seen: null,
      created_at: new Date().toISOString(),
    })
    .returning(['id', 'username', 'display_name', 'role'])
    .executeTakeFirstOrThrow();
  const created = toUser(row);
  users.put(created);
  return created;
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserWithPassword | null> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
}

/**
 * The support agent with the fewest open support rooms of their own (`rooms.agent_id`), the lowest id on a tie.
 * Rooms they joined (another agent's support room, a job's room) are not theirs to answer and do not count:
 * counted, an agent who stepped in to help others was given fewer new users than one who never did.
 */
export async function pickSupportAgent(db: Kysely<Database>): Promise<User | null> {
  const row = await supportAgentPickQuery(db).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** The pick's query: each agent's load counted in the partial index rooms_agent (012), not by a scan of rooms. */
export function supportAgentPickQuery(db: Kysely<Database>) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role'])
    .select((eb) =>
      eb
        .selectFrom('rooms as r')
        .select((sub) => sub.fn.countAll<number>().as('n'))
        .whereRef('r.agent_id', '=', 'u.id')
        // Literals, not parameters: only a plan that knows the values can use the partial index (a generic
        // plan of a prepared statement, with them as parameters, scans rooms).
        .where('r.type', '=', sql.lit('support'))
        .where('r.is_active', '=', sql.lit(1))
        .as('load'),
    )
    .where('u.role', '=', 'support')
    .orderBy('load')
    .orderBy('u.id')
    .limit(1);
}

/** Users per UPDATE: well under SQLite's bound-parameter limit. */
const LAST_SEEN_CHUNK = 1000;

/** One transaction for any number of users (a mass disconnect is one commit, not one per user). */
export async function setLastSeen(db: Kysely<Database>, userIds: number[], at: Date): Promise<void> {
  if (userIds.length === 0) return;
  const lastSeen = at.toISOString();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < userIds.length; i += LAST_SEEN_CHUNK) {
      const chunk = userIds.slice(i, i + LAST_SEEN_CHUNK);
      await trx.updateTable('users').set({ last_seen: lastSeen }).where('id', 'in', chunk).execute();
    }
  });
}

export async function getLastSeen(db: Kysely<Database>, userIds: number[]): Promise<Map<number, string | null>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'last_seen']).where('id', 'in', [...new Set(userIds)]).execute();
  return new Map(rows.map((r) => [r.id, r.last_seen]));
}

export async function createSession(db: Kysely<Database>, userId: number, tokenHash: string, expiresAt: Date): Promise<number> {
  const row = await db
    .insertInto('sessions')
    .values({ user_id: userId, token_hash: tokenHash, created_at: new Date().toISOString(), expires_at: expiresAt.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// Every request and socket upgrade runs it: compiled once (see compiledOnce.ts).
const liveSession = compiledOnce(
  (db, tokenHash: string, now: string) =>
    db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.id as session_id', 's.expires_at', 'u.id', 'u.username', 'u.display_name', 'u.role'])
      .where('s.token_hash', '=', tokenHash)
      .where('s.expires_at', '>', now),
  ['\u0000token', '\u0000now'],
);

export async function findSession(db: Kysely<Database>, tokenHash: string): Promise<Session | null> {
  const [row] = await liveSession(db, tokenHash, new Date().toISOString());
  return row ? { user: toUser(row), sessionId: row.session_id, expiresAt: new Date(row.expires_at) } : null;
}

export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<number | null> {
  const row = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).returning('id').executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Deletes `userId`'s sessions older than their newest `keep` (ids grow with sign-ins), in one
 * statement on the user's index; the ids deleted. None while the user has `keep` or fewer.
 */
export async function pruneSessions(db: Kysely<Database>, userId: number, keep: number): Promise<number[]> {
  const oldestKept = db.selectFrom('sessions').select('id').where('user_id', '=', userId).orderBy('id', 'desc').limit(1).offset(keep - 1);
  const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).where('id', '<', oldestKept).returning('id').execute();
  return rows.map((row) => row.id);
}

/** Sessions per statement in `liveSessions`. */
const LIVE_SESSIONS_CHUNK = 1000;

/** Which of these sessions still exist and have not expired. */
export async function liveSessions(db: Kysely<Database>, sessionIds: number[]): Promise<Set<number>> {
  const ids = [...new Set(sessionIds)];
  const now = new Date().toISOString();
  const live = new Set<number>();
  for (let i = 0; i < ids.length; i += LIVE_SESSIONS_CHUNK) {
    const rows = await db
      .selectFrom('sessions')
      .select('id')
      .where('id', 'in', ids.slice(i, i + LIVE_SESSIONS_CHUNK))
      .where('expires_at', '>', now)
      .execute();
    for (const row of rows) live.add(row.id);
  }
  return live;
}

/**
 * Expired sessions deleted per statement: a backlog is cleared in short transactions, not one long one.
 * On SQLite each runs on the event loop (about 7 ms per 1,000 rows).
 */
const EXPIRED_SESSIONS_CHUNK = 1000;

/** Deletes every session expired by `now`; how many were deleted. */
export async function deleteExpiredSessions(db: Kysely<Database>, now: Date): Promise<number> {
  const expired = now.toISOString();
  let total = 0;
  for (;;) {
    const result = await db
      .deleteFrom('sessions')
      .where('id', 'in', (eb) => eb.selectFrom('sessions').select('id').where('expires_at', '<=', expired).limit(EXPIRED_SESSIONS_CHUNK))
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < EXPIRED_SESSIONS_CHUNK) return total;
    // A turn of the event loop between statements: on SQLite the whole backlog (the first sweep after a
    // deploy meets every sign-in ever made) would otherwise hold it for seconds, no frame or request served.
    await eventLoopTurn();
  }
}

export async function createAttachment(db: Kysely<Database>, a: NewAttachment): Promise<StoredAttachment> {
  const row = await db
    .insertInto('attachments')
    .values({
      room_id: a.roomId,
      uploader_id: a.uploaderId,
      name: a.name,
      mime: a.mime,
      size: a.size,
      storage_key: a.storageKey,
      width: a.pixels?.width ?? null,
      height: a.pixels?.height ?? null,
      message_id: null,
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAttachment(row);
}

export async function getAttachment(db: Kysely<Database>, id: number): Promise<StoredAttachment | null> {
  const row = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAttachment(row) : null;
}

/** Most unsent uploads removed per call (more only piles up when many uploads race). */
const DROP_UNSENT_MAX = 1000;

const unsentOf = (uploaderId: number) => (eb: ExpressionBuilder<Database, 'attachments'>) =>
  eb.and([eb('uploader_id', '=', uploaderId), eb('message_id', 'is', null)]);

export async function dropUnsentUploads(db: Kysely<Database>, uploaderId: number, keep: number): Promise<string[]> {
  const unsent = unsentOf(uploaderId);
  const old = await db.selectFrom('attachments').select('id').where(unsent).orderBy('id', 'desc').limit(DROP_UNSENT_MAX).offset(keep).execute();
  if (old.length === 0) return [];
  const ids = old.map((row) => row.id);
  // Still unsent when deleted: a send that claimed one meanwhile keeps it.
  const removed = await db.deleteFrom('attachments').where(unsent).where('id', 'in', ids).returning('storage_key').execute();
  return removed.map((row) => row.storage_key);
}

export async function discardUnsentUpload(db: Kysely<Database>, uploaderId: number, id: number): Promise<string | null> {
  // One statement: a send claiming it at the same moment either wins (nothing deleted) or finds it gone.
  const row = await db.deleteFrom('attachments').where(unsentOf(uploaderId)).where('id', '=', id).returning('storage_key').executeTakeFirst();
  return row?.storage_key ?? null;
}
