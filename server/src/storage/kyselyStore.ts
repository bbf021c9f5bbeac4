/**
 * The Store over Kysely: one implementation for both dialects. Each method
 * delegates to the module of its concern; dialect differences (row locks,
 * advisory locks) live in those modules behind `dialect`.
 */
import { sql, type Kysely } from 'kysely';
import type { JobStatus, User } from '@ecc/protocol';
import type { Database } from './schema.ts';
import { runMigrations } from './migrations.ts';
import { UserCache } from './rows.ts';
import * as jobs from './jobs.ts';
import * as messages from './messages.ts';
import * as rooms from './rooms.ts';
import { markReadsPostgres } from './readMarks.ts';
import { listRoomsFor, roomFor } from './roomList.ts';
import type { OpenedSqlite } from './sqlite.ts';
import { SqliteHotPath } from './sqliteHotPath.ts';
import { Turns } from './turns.ts';
import * as users from './users.ts';
import { createAttachmentWithinQuota, uploadUsage } from './uploadQuota.ts';
import type { Dialect, HistoryQuery, JobPostLimits, MigrateOptions, NewAttachment, NewJob, NewMessage, NewRoom, NewUser, ReadMark, ReadResult, Store, UploadQuota } from './store.ts';

export class KyselyStore implements Store {
  private readonly users = new UserCache();
  /**
   * One user's job posts, support openings and uploads each in turn on this node before that user's
   * advisory lock: a burst of them (a script) waits here, holding one pooled connection, not the pool.
   */
  private readonly jobPostTurns = new Turns<number>();
  private readonly supportTurns = new Turns<number>();
  private readonly uploadTurns = new Turns<number>();
  /** SQLite only: every append (sends, a job room's system message) and unread counts through prepared statements (see sqliteHotPath.ts). */
  private readonly hotPath: SqliteHotPath | null;

  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    /** SQLite only: the better-sqlite3 handle under `db`, its checkpointer (files only) and durability. */
    private readonly sqlite?: Omit<OpenedSqlite, 'db'>,
  ) {
    this.hotPath = sqlite ? new SqliteHotPath(sqlite.raw, db, this.users, sqlite.synchronous, sqlite.checkpointer) : null;
  }

  migrate = (options?: MigrateOptions) => runMigrations(this.db as Kysely<unknown>, this.dialect, options?.onBackfillFailed);
  ping = async () => void (await sql`select 1`.execute(this.db));
  close = async () => {
    await this.db.destroy();
    await this.sqlite?.checkpointer?.stop();
  };

  createUser = (user: NewUser) => users.createUser(this.db, this.users, user);
  countUsers = () => users.countUsers(this.db);
  getUser = async (id: number) => (await this.users.load(this.db, [id])).get(id) ?? null;
  getUsers = async (ids: number[]) => [...(await this.users.load(this.db, ids)).values()];
  findUserByUsername = (username: string) => users.findUserByUsername(this.db, username);
  pickSupportAgent = () => users.pickSupportAgent(this.db);
  setLastSeen = (userIds: number[], at: Date) => users.setLastSeen(this.db, userIds, at);
  getLastSeen = (userIds: number[]) => users.getLastSeen(this.db, userIds);
  createSession = (userId: number, tokenHash: string, expiresAt: Date) => users.createSession(this.db, userId, tokenHash, expiresAt);
  findSession = async (tokenHash: string) => {
    const session = await users.findSession(this.db, tokenHash);
    // A signed-in user is about to send: their first message then needs no user lookup.
    if (session) this.users.put(session.user);
    return session;
  };
  deleteSession = (tokenHash: string) => users.deleteSession(this.db, tokenHash);
  pruneSessions = (userId: number, keep: number) => users.pruneSessions(this.db, userId, keep);
  liveSessions = (sessionIds: number[]) => users.liveSessions(this.db, sessionIds);
  deleteExpiredSessions = (now: Date) => users.deleteExpiredSessions(this.db, now);

  createJob = (job: NewJob) => jobs.createJob(this.db, job);
  createJobWithinLimits = (job: NewJob, limits: JobPostLimits) =>
    this.jobPostTurns.run(job.clientId, () => jobs.createJobWithinLimits(this.db, this.dialect, job, limits));
  getJob = (id: number) => jobs.getJob(this.db, id);
  getJobOfRoom = (roomId: number) => jobs.getJobOfRoom(this.db, roomId);
  listJobsFor = (user: User) => jobs.listJobsFor(this.db, this.users, user);
  searchJobs = (text: string) => jobs.searchJobs(this.db, this.dialect, this.users, text);
  assignJob = (jobId: number, cleanerId: number, systemText: string) => jobs.assignJob(this.db, this.appendInTransaction, jobId, cleanerId, systemText);
  setJobStatus = (jobId: number, from: JobStatus, to: JobStatus, systemText: string, actorId: number) =>
    jobs.setJobStatus(this.db, this.appendInTransaction, jobId, from, to, systemText, actorId);

  createRoom = (room: NewRoom) => rooms.createRoom(this.db, room);
  openSupportRoom = (user: User, greeting: (agent: User) => string, agent?: User) =>
    this.supportTurns.run(user.id, () => rooms.openSupportRoom(this.db, this.dialect, this.appendInTransaction, user, greeting, agent));
  getRoomAccess = (roomId: number) => rooms.getRoomAccess(this.db, roomId);
  joinRoom = (roomId: number, userId: number, notice: string) => rooms.joinRoom(this.db, this.dialect, this.appendInTransaction, roomId, userId, notice);
  setRoomActive = (roomId: number, isActive: boolean) => rooms.setRoomActive(this.db, roomId, isActive);
  listRoomsFor = (userId: number, closeGraceMs?: number) => listRoomsFor(this.db, this.users, userId, closeGraceMs);
  peersOf = (userId: number) => rooms.peersOf(this.db, userId);
  getRoomViewFor = (roomId: number, userId: number, closeGraceMs?: number) => roomFor(this.db, this.users, userId, roomId, closeGraceMs);
  roomsToClose = (closedBefore: Date) => rooms.roomsToClose(this.db, closedBefore);
  lastSeqs = (roomIds: number[]) => rooms.lastSeqs(this.db, roomIds);

  appendMessages = (batch: NewMessage[]) =>
    this.hotPath ? this.hotPath.appendMessages(batch) : messages.appendMessages(this.db, this.users, batch);
  getMessage = (id: number) => messages.getMessage(this.db, this.users, id);
  roomOfSent = (senderId: number, clientId: string) => messages.roomOfSent(this.db, senderId, clientId);
  history = (query: HistoryQuery) => messages.history(this.db, this.users, query);
  editMessage = (id: number, content: string, at: Date) => messages.editMessage(this.db, this.users, id, content, at);
  deleteMessage = (id: number, at: Date, deletedBy: number) => messages.deleteMessage(this.db, this.users, id, at, deletedBy);
  markReads = (marks: ReadMark[]) => (this.hotPath ? this.hotPath.markReads(marks) : markReadsPostgres(this.db, marks));
  markRead = async (roomId: number, userId: number, seq: number): Promise<ReadResult> => {
    const [marked] = await this.markReads([{ roomId, userId, seq }]);
    return { lastReadSeq: marked?.lastReadSeq ?? 0, moved: marked?.moved ?? false };
  };
  unreadFor = (pairs: { userId: number; roomId: number }[]) =>
    this.hotPath ? this.hotPath.unreadFor(pairs) : messages.unreadFor(this.db, pairs);

  createAttachment = (attachment: NewAttachment) => users.createAttachment(this.db, attachment);
  getAttachment = (id: number) => users.getAttachment(this.db, id);
  uploadUsage = (uploaderId: number, since: Date) => uploadUsage(this.db, uploaderId, since);
  createAttachmentWithinQuota = (attachment: NewAttachment, quota: UploadQuota) =>
    this.uploadTurns.run(attachment.uploaderId, () => createAttachmentWithinQuota(this.db, this.dialect, attachment, quota));
  dropUnsentUploads = (uploaderId: number, keep: number) => users.dropUnsentUploads(this.db, uploaderId, keep);
  discardUnsentUpload = (uploaderId: number, id: number) => users.discardUnsentUpload(this.db, uploaderId, id);

  /** A system message stored inside a transaction of the caller (each dialect's own append). */
  private readonly appendInTransaction: jobs.AppendInTransaction = (trx, batch) =>
    this.hotPath ? this.hotPath.appendInTransaction(trx, batch) : messages.appendInTransaction(trx, this.users, batch);
}
