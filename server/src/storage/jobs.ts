/** Cleaning jobs, and the room each assigned job gets. */
import { sql, type Kysely } from 'kysely';
import { foldForSearch, INT32_MAX, type Job, type JobStatus, type Message, type User } from '@ecc/protocol';
import type { Database } from './schema.ts';
import { toJob, withJobNames, type UserCache } from './rows.ts';
import { appendNoticeBy } from './actorNotice.ts';
import { createRoom } from './rooms.ts';
import { foldedForSearch } from './searchFold.ts';
import type { AppendResult, Dialect, JobPostLimits, JobPostOutcome, NewJob, NewMessage } from './store.ts';

type FullJob = Job & { clientId: number; cleanerId: number | null };

/** Advisory lock class (with the client's id) taking a client's job posts in turn on every node. */
const JOB_POST_LOCK = 727_274_004;

export const jobRoomName = (jobId: number, title: string): string => `Job #${jobId} · ${title}`;

function jobsWithRoom(db: Kysely<Database>) {
  return db.selectFrom('jobs as j').leftJoin('rooms as r', 'r.job_id', 'j.id').selectAll('j').select(['r.id as room_id', 'r.is_active as room_is_active']);
}

export async function createJob(db: Kysely<Database>, job: NewJob): Promise<Job> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('jobs')
    .values({
      title: job.title,
      description: job.description ?? '',
      address: job.address ?? null,
      scheduled_at: job.scheduledAt ?? null,
      client_id: job.clientId,
      cleaner_id: null,
      status: 'open',
      status_changed_at: now,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toJob(row, null);
}

async function countOpenJobsOf(db: Kysely<Database>, clientId: number): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', '=', clientId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Jobs the client posted since `since`, and when the oldest of them was posted (null when none). */
async function jobsPostedSince(db: Kysely<Database>, clientId: number, since: Date): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('client_id', '=', clientId)
    .where('created_at', '>=', since.toISOString())
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: row.oldest ?? null };
}

/** Posts the job if the client stays within `limits` with it, checked and inserted in one transaction. */
export function createJobWithinLimits(db: Kysely<Database>, dialect: Dialect, job: NewJob, limits: JobPostLimits): Promise<JobPostOutcome> {
  return db.transaction().execute(async (trx) => {
    // Posts at once (tabs, a script, other nodes) would each count the others' as not there yet. SQLite
    // needs no lock: one process, whose one connection is this transaction's until it ends.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${JOB_POST_LOCK}::int, ${job.clientId}::int)`.execute(trx);
    const open = await countOpenJobsOf(trx, job.clientId);
    if (open >= limits.maxOpen) return { tooManyOpen: open };
    const posted = await jobsPostedSince(trx, job.clientId, limits.since);
    if (posted.count >= limits.maxPosted) return { tooManyPosted: posted };
    return { job: await createJob(trx, job) };
  });
}

export async function getJob(db: Kysely<Database>, id: number): Promise<FullJob | null> {
  const row = await jobsWithRoom(db).where('j.id', '=', id).executeTakeFirst();
  return row ? toJob(row, row.room_id, row.room_is_active) : null;
}

/** The job whose room is `roomId` (null for a room of no job). */
export async function getJobOfRoom(db: Kysely<Database>, roomId: number): Promise<FullJob | null> {
  const row = await jobsWithRoom(db).where('r.id', '=', roomId).executeTakeFirst();
  return row ? toJob(row, row.room_id, row.room_is_active) : null;
}

/** At most this many jobs per list, newest first (a cleaner's own jobs before open ones). */
export const JOB_LIST_LIMIT = 500;

/**
 * The jobs `user` may list, newest first. Support's list (every job) is read from the top of
 * `jobs_created` down to its limit, not sorted whole (migration 010).
 */
export function jobListQuery(db: Kysely<Database>, user: User) {
  let query = jobsWithRoom(db);
  if (user.role === 'client') query = query.where('j.client_id', '=', user.id);
  if (user.role === 'cleaner') {
    // Many open jobs must not push the cleaner's own jobs out of the list.
    query = query
      .where((eb) => eb.or([eb('j.cleaner_id', '=', user.id), eb('j.status', '=', 'open')]))
      .orderBy(sql`case when j.cleaner_id = ${user.id} then 0 else 1 end`);
  }
  return query.orderBy('j.created_at', 'desc').orderBy('j.id', 'desc').limit(JOB_LIST_LIMIT);
}

/**
 * Support staff's search of every job (not only the newest 500 of the list): the job numbered `text`
 * ("12" or "#12"), or any whose title, client's or cleaner's display name contains `text`. `%`, `_` and
 * `\` in it match themselves. Both sides are folded alike on both dialects (searchFold.ts): case,
 * final sigma and accents ("emile" finds "Émile", "νικος" finds "ΝΊΚΟΣ"). A text that folds to nothing
 * (accents alone) matches no title or name. One query: SQLite reads down jobs_created to the limit,
 * PostgreSQL may filter every job and sort the matches; no index serves a substring, so a rare text
 * reads every job on both (folding each title and name as it goes).
 */
export function jobSearchQuery(db: Kysely<Database>, dialect: Dialect, text: string) {
  const folded = foldForSearch(text);
  const pattern = `%${folded.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const contains = (column: string) => sql<boolean>`${foldedForSearch(dialect, column)} like ${pattern} escape '\\'`;
  const named = () => db.selectFrom('users').select('users.id').where(contains('users.display_name'));
  const number = /^#?(\d{1,10})$/.exec(text);
  const id = number ? Number(number[1]) : 0;
  return jobsWithRoom(db)
    .where((eb) =>
      eb.or([
        // Ids are 32-bit columns: a larger number names no job (and PostgreSQL would refuse the comparison).
        ...(id >= 1 && id <= INT32_MAX ? [eb('j.id', '=', id)] : []),
        ...(folded === ''
          ? []
          : [contains('j.title'), eb('j.client_id', 'in', named()), eb('j.cleaner_id', 'in', named())]),
      ]),
    )
    .orderBy('j.created_at', 'desc')
    .orderBy('j.id', 'desc')
    .limit(JOB_LIST_LIMIT);
}

/**
 * Each job with its people's display names (`clientName`, `cleanerName`), read after the list (which
 * then stays one query, its limit taken before any join): from the user cache, the uncached in one query.
 */
async function withPeople(db: Kysely<Database>, users: UserCache, rows: Awaited<ReturnType<ReturnType<typeof jobListQuery>['execute']>>): Promise<Job[]> {
  const people = await users.load(db, rows.flatMap((row) => (row.cleaner_id === null ? [row.client_id] : [row.client_id, row.cleaner_id])));
  return rows.map((row) => withJobNames(toJob(row, row.room_id, row.room_is_active), people));
}

/** The jobs `user` may list (`jobListQuery`), with their people's names. */
export async function listJobsFor(db: Kysely<Database>, users: UserCache, user: User): Promise<Job[]> {
  return withPeople(db, users, await jobListQuery(db, user).execute());
}

/** The jobs `jobSearchQuery` finds, with their people's names. */
export async function searchJobs(db: Kysely<Database>, dialect: Dialect, users: UserCache, text: string): Promise<Job[]> {
  return withPeople(db, users, await jobSearchQuery(db, dialect, text).execute());
}

/** Stores messages inside the open transaction `trx` (each dialect's own append). */
export type AppendInTransaction = (trx: Kysely<Database>, batch: NewMessage[]) => Promise<AppendResult[]>;

export async function assignJob(
  db: Kysely<Database>,
  append: AppendInTransaction,
  jobId: number,
  cleanerId: number,
  systemText: string,
): Promise<{ job: Job; roomId: number; message: Message } | null> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    // Conditional update: of two cleaners racing, exactly one sees a row change.
    const updated = await trx
      .updateTable('jobs')
      .set({ cleaner_id: cleanerId, status: 'assigned', status_changed_at: now })
      .where('id', '=', jobId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return null;
    const row = await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    const roomId = await createRoom(trx, {
      type: 'job',
      name: jobRoomName(row.id, row.title),
      jobId: row.id,
      participantIds: [row.client_id, cleanerId],
    });
    // The cleaner accepting is the move's actor.
    const message = await appendNoticeBy(trx, append, roomId, systemText, cleanerId);
    if (!message) throw new Error('could not store the job room system message');
    return { job: toJob(row, roomId, 1), roomId, message };
  });
}

/**
 * Moves a job from `from` to `to` and stores `systemText` in its room (when it
 * has one), `actorId` as its mover, in one transaction. Null, writing nothing,
 * when the job is no longer `from`: the caller checked the transition against
 * a status that another request (on any node) changed meanwhile.
 */
export async function setJobStatus(
  db: Kysely<Database>,
  append: AppendInTransaction,
  jobId: number,
  from: JobStatus,
  to: JobStatus,
  systemText: string,
  actorId: number,
): Promise<{ job: Job; message: Message | null } | null> {
  return db.transaction().execute(async (trx) => {
    // Compare-and-set: of two changes checked against the same status, exactly one sees a row change.
    const updated = await trx
      .updateTable('jobs')
      .set({ status: to, status_changed_at: new Date().toISOString() })
      .where('id', '=', jobId)
      .where('status', '=', from)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return null;
    const job = await getJob(trx, jobId);
    if (!job) throw new Error(`job ${jobId} vanished`);
    const roomId = job.roomId ?? null;
    if (roomId === null) return { job, message: null };
    const message = await appendNoticeBy(trx, append, roomId, systemText, actorId);
    if (!message) throw new Error(`could not store the status message of job ${jobId}`);
    return { job, message };
  });
}
