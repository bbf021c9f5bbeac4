/**
 * Load-test fixtures: many users, job rooms pairing them and a session per
 * user, written with multi-row inserts in one transaction so 15,000 users
 * × 4 rooms take seconds. Used by `npm run fixtures` (src/cli/fixtures.ts).
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { hashToken, newToken } from '../auth/tokens.ts';
import { jobRoomName } from './jobs.ts';
import type { Database } from './schema.ts';
import type { Dialect } from './store.ts';

export interface FixtureOptions {
  users: number;
  roomsPerUser: number;
  /** Also one general room with the first `groupSize` users (0: none). */
  groupSize?: number;
  /** One scrypt hash shared by every user (hashing 15,000 passwords would take minutes). */
  passwordHash: string;
  sessionTtlMs: number;
  /** Makes usernames unique per run: `load-<runId>-<i>`. Random when absent. */
  runId?: string;
}

export interface Fixtures {
  users: { id: number; username: string; token: string }[];
  rooms: { id: number; participantIds: number[] }[];
}

/** Rows per INSERT: far below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 1000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Who meets whom, as pairs of user indexes. Even indexes are clients, odd
 * ones cleaners; in round r client j is paired with cleaner (j + r) mod M,
 * so every pair is distinct and everyone is in exactly `roomsPerUser` rooms.
 * With an odd user count the last client still gets its rooms, which gives
 * the first `roomsPerUser` cleaners one room more.
 */
export function pairUsers(users: number, roomsPerUser: number): [number, number][] {
  const cleaners = Math.floor(users / 2);
  if (roomsPerUser > cleaners) {
    throw new Error(`--rooms-per-user ${roomsPerUser} needs at least ${roomsPerUser * 2} users (got ${users})`);
  }
  const clients = users - cleaners;
  const pairs: [number, number][] = [];
  for (let r = 0; r < roomsPerUser; r++) {
    for (let j = 0; j < clients; j++) pairs.push([2 * j, 2 * ((j + r) % cleaners) + 1]);
  }
  return pairs;
}

/** Creates the users, rooms and sessions of `options` in one transaction. */
export async function createFixtures(db: Kysely<Database>, dialect: Dialect, options: FixtureOptions): Promise<Fixtures> {
  const { users: count, roomsPerUser } = options;
  const groupSize = options.groupSize ?? 0;
  if (!Number.isInteger(count) || count < 1) throw new Error('--users must be a positive integer');
  if (!Number.isInteger(roomsPerUser) || roomsPerUser < 0) throw new Error('--rooms-per-user must be a non-negative integer');
  if (!Number.isInteger(groupSize) || groupSize < 0 || groupSize > count) {
    throw new Error(`--group-size must be between 0 and the number of users (${count})`);
  }
  const pairs = pairUsers(count, roomsPerUser);
  const runId = options.runId ?? randomBytes(4).toString('hex');
  const now = new Date().toISOString();
  const expiresAt = new Date(Date.now() + options.sessionTtlMs).toISOString();

  const fixtures = await db.transaction().execute(async (trx) => {
    const usernames = Array.from({ length: count }, (_, i) => `load-${runId}-${i}`);
    const idByName = new Map<string, number>();
    for (const part of chunks(usernames.map((username, i) => ({ username, i })))) {
      const rows = await trx
        .insertInto('users')
        .values(
          part.map(({ username, i }) => ({
            username,
            display_name: `Load ${i % 2 === 0 ? 'Client' : 'Cleaner'} ${i}`,
            role: i % 2 === 0 ? ('client' as const) : ('cleaner' as const),
            password_hash: options.passwordHash,
            last_seen: null,
            created_at: now,
          })),
        )
        .returning(['id', 'username'])
        .execute();
      for (const row of rows) idByName.set(row.username, row.id);
    }
    const userIds = usernames.map((name) => {
      const id = idByName.get(name);
      if (id === undefined) throw new Error(`user ${name} was not stored`);
      return id;
    });

    const tokens = usernames.map(() => newToken());
    for (const part of chunks(userIds.map((id, i) => ({ id, token: tokens[i] as string })))) {
      await trx
        .insertInto('sessions')
        .values(part.map(({ id, token }) => ({ user_id: id, token_hash: hashToken(token), created_at: now, expires_at: expiresAt })))
        .execute();
    }

    const rooms: Fixtures['rooms'] = [];
    // Titles are unique within the run, which maps the returned job ids back to their pairs.
    const jobs = pairs.map(([client, cleaner], n) => ({
      title: `Load job ${runId}-${n}`,
      clientId: userIds[client] as number,
      cleanerId: userIds[cleaner] as number,
    }));
    for (const part of chunks(jobs)) {
      const jobRows = await trx
        .insertInto('jobs')
        .values(
          part.map((job) => ({
            title: job.title,
            description: 'Load-test job',
            address: null,
            scheduled_at: null,
            client_id: job.clientId,
            cleaner_id: job.cleanerId,
            status: 'assigned' as const,
            status_changed_at: now,
            created_at: now,
          })),
        )
        .returning(['id', 'title'])
        .execute();
      const jobIdByTitle = new Map(jobRows.map((row) => [row.title, row.id]));
      const roomRows = await trx
        .insertInto('rooms')
        .values(
          part.map((job) => {
            const jobId = jobIdByTitle.get(job.title);
            if (jobId === undefined) throw new Error(`job ${job.title} was not stored`);
            return { type: 'job' as const, name: jobRoomName(jobId, job.title), job_id: jobId, is_active: 1, last_seq: 0, updated_at: now, created_at: now };
          }),
        )
        .returning(['id', 'job_id'])
        .execute();
      const roomIdByJob = new Map(roomRows.map((row) => [row.job_id, row.id]));
      const partRooms = part.map((job) => {
        const roomId = roomIdByJob.get(jobIdByTitle.get(job.title) ?? null);
        if (roomId === undefined) throw new Error(`room of ${job.title} was not stored`);
        return { id: roomId, participantIds: [job.clientId, job.cleanerId] };
      });
      await insertParticipants(trx, partRooms, now);
      rooms.push(...partRooms);
    }

    if (groupSize > 0) {
      const group = await trx
        .insertInto('rooms')
        .values({ type: 'general', name: `Load group ${runId}`, job_id: null, is_active: 1, last_seq: 0, updated_at: now, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const room = { id: group.id, participantIds: userIds.slice(0, groupSize) };
      await insertParticipants(trx, [room], now);
      rooms.push(room);
    }

    return { users: userIds.map((id, i) => ({ id, username: usernames[i] as string, token: tokens[i] as string })), rooms };
  });
  await refreshStatistics(db, dialect);
  return fixtures;
}

/**
 * Fresh statistics for the bulk-loaded tables. Without them PostgreSQL plans
 * the room list of a just-loaded database as if each user were in hundreds
 * of rooms (hash joins over whole tables: 100× slower), until autovacuum
 * catches up, which is exactly when a load test connects everyone.
 * SQLite is left without statistics: see sqlite.ts.
 */
async function refreshStatistics(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') return;
  for (const table of ['users', 'sessions', 'jobs', 'rooms', 'participants'] as const) {
    await sql`analyze ${sql.table(table)}`.execute(db);
  }
}

async function insertParticipants(db: Kysely<Database>, rooms: Fixtures['rooms'], now: string): Promise<void> {
  const rows = rooms.flatMap((room) =>
    room.participantIds.map((userId) => ({ room_id: room.id, user_id: userId, joined_at: now, last_read_seq: 0, own_after_read: 0 })),
  );
  for (const part of chunks(rows)) await db.insertInto('participants').values(part).execute();
}
