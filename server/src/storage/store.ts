/**
 * The storage interface: everything the server core asks of the database.
 * Two real backends implement it (SQLite via better-sqlite3, PostgreSQL via
 * pg), both over Kysely; the same test suite runs against both.
 *
 * Hot paths are shaped for batching: `appendMessages` stores a whole batch
 * of sends in one transaction (group commit), `markReads` a whole batch of
 * read marks, and `unreadFor` answers the unread counts of every recipient
 * of a batch in one query.
 */
import type { Attachment, Job, JobStatus, Message, Role, Room, RoomType, User } from '@ecc/protocol';

export type Dialect = 'sqlite' | 'postgres';

export interface UserWithPassword extends User {
  passwordHash: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
}

export interface Session {
  user: User;
  /** Opaque id of the session row, used to close its sockets on logout. */
  sessionId: number;
  expiresAt: Date;
}

export interface NewJob {
  clientId: number;
  title: string;
  description?: string;
  address?: string | null;
  scheduledAt?: string | null;
}

/** What a server needs to authorise a frame on a room, cached per room. */
export interface RoomAccess {
  roomId: number;
  type: RoomType;
  isActive: boolean;
  /** user id → role, for every participant. */
  participants: Map<number, Role>;
}

export interface NewRoom {
  type: RoomType;
  name: string;
  jobId: number | null;
  participantIds: number[];
  /** A support room's agent, one of `participantIds`: the room counts as their load (others may join it later). */
  agentId?: number | null;
}

/** One `send` to store. `clientId` is null for system messages. */
export interface NewMessage {
  roomId: number;
  senderId: number | null;
  type: Message['type'];
  content: string;
  clientId: string | null;
  replyToId?: number | null;
  attachmentId?: number | null;
}

/** The room `openSupportRoom` found or opened. */
export interface OpenedSupportRoom {
  roomId: number;
  /** The stored system message when the room is new, else null. */
  greeting: Message | null;
  /** The room's agent (`rooms.agent_id`): null for a room opened by a node older than migration 012, which recorded none. */
  agentId: number | null;
}

/** What `joinRoom` did. */
export type JoinOutcome =
  | { kind: 'not_found' }
  | { kind: 'closed' }
  /** Already a participant: nothing written. */
  | { kind: 'already' }
  | { kind: 'joined'; notice: Message };

/**
 * The outcome of one entry of a batch, in the batch's order.
 * `duplicate` is true when (senderId, clientId) was already stored: the
 * original message is returned and nothing new is written.
 * An entry can fail alone (e.g. reply to a message of another room) without
 * failing the rest of the batch.
 */
export type AppendResult =
  | { ok: true; message: Message; duplicate: boolean }
  | { ok: false; code: 'NOT_FOUND' | 'ROOM_CLOSED' | 'BAD_REQUEST' | 'FORBIDDEN'; message: string };

export interface HistoryQuery {
  roomId: number;
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
}

export interface HistoryPage {
  /** Ascending seq. */
  messages: Message[];
  /** More messages exist beyond this page in the direction asked. */
  hasMore: boolean;
}

export interface ReadResult {
  /** The mark after the call: max(old, seq), never past the room's lastSeq. */
  lastReadSeq: number;
  /** The mark moved (a `receipt` goes to the others). */
  moved: boolean;
}

/** A reader's `read` up to `seq` in one room. */
export interface ReadMark {
  roomId: number;
  userId: number;
  seq: number;
}

export interface UnreadCount {
  userId: number;
  roomId: number;
  unread: number;
  /** Sum over the user's active rooms. */
  totalUnread: number;
  /** Orders `unread` against other reads of it: larger is later, equal is unchanged (unreadCounts.ts). */
  roomVersion: number;
  /** Orders `totalUnread` likewise. */
  userVersion: number;
}

/** One room as a participant sees it, with the version of its `unread` (read in the same statement). */
export interface RoomView {
  room: Room;
  roomVersion: number;
  /** The version of the user's total at the same moment: what orders the whole frame against `ready`. */
  userVersion: number;
}

/** A user's rooms, with the version of the counts in them (read in the same statement). */
export interface RoomList {
  rooms: Room[];
  /** Orders the counts of this list against single counts read before or after it (unreadCounts.ts). */
  userVersion: number;
}

/** One mark of a batch after `markReads`, with the reader's counts after the whole batch. */
export interface MarkedRead extends ReadResult, UnreadCount {}

export interface DeletedMessage {
  message: Message;
  /** The storage key of the attachment removed with the message, if it had one. */
  removedFile: string | null;
}

export interface NewAttachment {
  roomId: number;
  uploaderId: number;
  name: string;
  mime: string;
  size: number;
  /** Path of the stored bytes, relative to the uploads directory. */
  storageKey: string;
  /** An image's size in pixels as shown, when its header states it. */
  pixels?: { width: number; height: number } | null;
}

/** What counts against a user's upload quota: their stored uploads made since `since`, at most `maxBytes` of them. */
export interface UploadQuota {
  since: Date;
  maxBytes: number;
}

/** What a client's new job must fit: open jobs at once, and jobs posted (cancelled ones too) since `since`. */
export interface JobPostLimits {
  maxOpen: number;
  maxPosted: number;
  since: Date;
}

/** A job posted, or the limit it would have passed: the client's open jobs, or their posts since `since` and the oldest one's time. */
export type JobPostOutcome = { job: Job } | { tooManyOpen: number } | { tooManyPosted: { count: number; oldest: string | null } };

/** A user's stored uploads made since a time: their bytes, and when the oldest of them was made. */
export interface UploadUsage {
  bytes: number;
  oldestAt: Date | null;
}

export interface StoredAttachment extends Attachment {
  roomId: number;
  uploaderId: number;
  storageKey: string;
  /** The message that carries it; null while it is an upload not sent yet (its uploader's alone). */
  messageId: number | null;
}

export interface MigrateOptions {
  /** Support rooms could not be given their agent (rooms.agent_id): the schema is whole, the start goes on. */
  onBackfillFailed?: (err: unknown) => void;
}

export interface Store {
  readonly dialect: Dialect;
  /** Creates or upgrades the schema (idempotent). */
  migrate(options?: MigrateOptions): Promise<void>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // users and sessions
  createUser(user: NewUser): Promise<User>;
  countUsers(): Promise<number>;
  getUser(id: number): Promise<User | null>;
  getUsers(ids: number[]): Promise<User[]>;
  findUserByUsername(username: string): Promise<UserWithPassword | null>;
  /** A support agent for a new support room: the least busy one, with the fewest open support rooms they are the agent of. */
  pickSupportAgent(): Promise<User | null>;
  /** Records when these users' last socket closed (one transaction for all of them). */
  setLastSeen(userIds: number[], at: Date): Promise<void>;
  getLastSeen(userIds: number[]): Promise<Map<number, string | null>>;
  createSession(userId: number, tokenHash: string, expiresAt: Date): Promise<number>;
  findSession(tokenHash: string): Promise<Session | null>;
  deleteSession(tokenHash: string): Promise<number | null>;
  /** Deletes the user's sessions but the newest `keep` (by id); the ids of those deleted. */
  pruneSessions(userId: number, keep: number): Promise<number[]>;
  /** Which of these sessions (by id) still exist and have not expired, in a fixed number of queries. */
  liveSessions(sessionIds: number[]): Promise<Set<number>>;
  /** Deletes the sessions expired by `now` (they no longer sign anyone in); how many. */
  deleteExpiredSessions(now: Date): Promise<number>;

  // jobs
  createJob(job: NewJob): Promise<Job>;
  /**
   * `createJob`, if the client stays within `limits` with it: checked and recorded in turn with the
   * client's other posts (on every node), so posts at once cannot each see room for themselves.
   * Else nothing is recorded, and the answer says which limit was reached.
   */
  createJobWithinLimits(job: NewJob, limits: JobPostLimits): Promise<JobPostOutcome>;
  getJob(id: number): Promise<(Job & { clientId: number; cleanerId: number | null }) | null>;
  /** The job whose room is `roomId`, null for a room of no job (as getJob). */
  getJobOfRoom(roomId: number): Promise<(Job & { clientId: number; cleanerId: number | null }) | null>;
  /** A client's own jobs; a cleaner's assigned jobs plus open ones; support sees all. */
  listJobsFor(user: User): Promise<Job[]>;
  /**
   * Every job (support staff's search, the route checks who asks) whose number is `text` ("12", "#12"), or
   * whose title, client's or cleaner's display name contains it, any case; newest first, the list's limit.
   */
  searchJobs(text: string): Promise<Job[]>;
  /**
   * Assigns an open job to a cleaner and creates its room (client + cleaner)
   * with a system message (its `actorId` the cleaner), atomically. Null when the job is not open anymore.
   */
  assignJob(jobId: number, cleanerId: number, systemText: string): Promise<{ job: Job; roomId: number; message: Message } | null>;
  /**
   * Moves a job from `from` (the status the transition was checked against) to `to`
   * and stores `systemText` in its room if it has one, with `actorId` (the user who
   * moved it) as its `actorId`, atomically. Null, changing nothing, when the job is
   * not `from` anymore (changed meanwhile, on any node).
   */
  setJobStatus(jobId: number, from: JobStatus, to: JobStatus, systemText: string, actorId: number): Promise<{ job: Job; message: Message | null } | null>;

  // rooms
  createRoom(room: NewRoom): Promise<number>;
  /**
   * The user's support room, or a new one with `agent` (support staff opening it
   * to reach the user; by default the least busy support agent) and the system
   * message `greeting(agent)` (its actorId `agent` when given, else `user`: whose doing the room is),
   * atomically: concurrent calls (on any nodes, with
   * or without `agent`) get the same room. `greeting` is the stored message when
   * the room is new, else null (an existing room may have another agent, `agentId`).
   * Null when no support agent exists.
   */
  openSupportRoom(user: User, greeting: (agent: User) => string, agent?: User): Promise<OpenedSupportRoom | null>;
  /**
   * Makes `userId` a participant of the active room `roomId` with the system message `notice`, their
   * read mark at it; of joins at once (any nodes) one writes, the others find it done (`already`).
   */
  joinRoom(roomId: number, userId: number, notice: string): Promise<JoinOutcome>;
  getRoomAccess(roomId: number): Promise<RoomAccess | null>;
  setRoomActive(roomId: number, isActive: boolean): Promise<void>;
  /**
   * The rooms of a user, most recently active first, in a fixed number of queries (not one per room). `online` is false; the server fills presence in.
   * `closeGraceMs` (the server's ROOM_CLOSE_GRACE_MS) gives each finished job's active room its closesAt; without it
   * (benches, storage tests: no one shown the rooms) the rooms come without closesAt.
   */
  listRoomsFor(userId: number, closeGraceMs?: number): Promise<RoomList>;
  /** The ids of everyone sharing a room with the user (for presence when the user has no socket here). */
  peersOf(userId: number): Promise<number[]>;
  /** One room as seen by one of its participants, with the versions of its counts; `closeGraceMs` as for listRoomsFor. */
  getRoomViewFor(roomId: number, userId: number, closeGraceMs?: number): Promise<RoomView | null>;
  /** Active rooms whose job was completed/cancelled before `closedBefore`. */
  roomsToClose(closedBefore: Date): Promise<number[]>;
  /** Each room's last stored seq, in a fixed number of queries (a node catching up after subscribing: hub.ts). */
  lastSeqs(roomIds: number[]): Promise<Map<number, number>>;

  // messages
  appendMessages(batch: NewMessage[]): Promise<AppendResult[]>;
  getMessage(id: number): Promise<Message | null>;
  /** The room of the message `senderId` stored with `clientId`; null when none was (one indexed lookup). */
  roomOfSent(senderId: number, clientId: string): Promise<number | null>;
  history(query: HistoryQuery): Promise<HistoryPage>;
  /** Null when the message was deleted meanwhile: nothing is changed. `editedAt` is later than any earlier edit's, whatever `at`. */
  editMessage(id: number, content: string, at: Date): Promise<Message | null>;
  /**
   * Also removes the message's attachment (its row; `removedFile` names the file to remove). `deletedBy` is
   * the user who asked (the sender, or a support participant). A message already deleted is left as it was.
   */
  deleteMessage(id: number, at: Date, deletedBy: number): Promise<DeletedMessage>;
  /**
   * Moves a batch of read marks in one transaction and answers each with the
   * reader's unread counts after all of them, in the order given. A pair
   * given twice moves to the higher seq, and only one of its entries says
   * `moved` (one receipt).
   */
  markReads(marks: ReadMark[]): Promise<MarkedRead[]>;
  /** One mark (`markReads` of one). */
  markRead(roomId: number, userId: number, seq: number): Promise<ReadResult>;
  /** Unread and total unread for each (user, room) pair, in one round trip. */
  unreadFor(pairs: { userId: number; roomId: number }[]): Promise<UnreadCount[]>;

  // attachments
  createAttachment(attachment: NewAttachment): Promise<StoredAttachment>;
  getAttachment(id: number): Promise<StoredAttachment | null>;
  /** The uploader's stored uploads (sent or not) made since `since`: what counts against the upload quota. */
  uploadUsage(uploaderId: number, since: Date): Promise<UploadUsage>;
  /**
   * `createAttachment`, if with it the uploader's uploads counted by `quota` stay within it (checked and
   * recorded in turn with the uploader's other uploads, on every node); else nothing is recorded.
   */
  createAttachmentWithinQuota(attachment: NewAttachment, quota: UploadQuota): Promise<{ stored: StoredAttachment } | { refused: UploadUsage }>;
  /**
   * Removes the uploader's uploads no message carries beyond the newest `keep` (an upload
   * claimed by a send meanwhile stays); the storage keys of the files to remove.
   */
  dropUnsentUploads(uploaderId: number, keep: number): Promise<string[]>;
  /** Removes one of the uploader's uploads if no message carries it; the storage key of its file, else null. */
  discardUnsentUpload(uploaderId: number, id: number): Promise<string | null>;
}
