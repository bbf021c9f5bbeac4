/**
 * Turning rows into contract shapes. Message rows are hydrated in batches:
 * one query each for reply targets, attachments and unknown senders, however
 * many messages there are.
 */
import type { Kysely, Selectable } from 'kysely';
import { replyExcerpt, type Attachment, type Job, type Message, type User } from '@ecc/protocol';
import type { AttachmentsTable, Database, JobsTable, MessagesTable, UsersTable } from './schema.ts';
import type { StoredAttachment } from './store.ts';

export type MessageRow = Selectable<MessagesTable>;
type UserRow = Pick<Selectable<UsersTable>, 'id' | 'username' | 'display_name' | 'role'>;

export function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
}

export function attachmentUrl(id: number): string {
  return `/api/attachments/${id}`;
}

/** An attachment as a message carries it: `width` and `height` only when both are known (absent, not null). */
export function toMessageAttachment(row: Pick<Selectable<AttachmentsTable>, 'id' | 'name' | 'mime' | 'size' | 'width' | 'height'>): Attachment {
  const attachment: Attachment = { id: row.id, name: row.name, mime: row.mime, size: row.size, url: attachmentUrl(row.id) };
  return row.width !== null && row.height !== null ? { ...attachment, width: row.width, height: row.height } : attachment;
}

export function toAttachment(row: Selectable<AttachmentsTable>): StoredAttachment {
  return {
    ...toMessageAttachment(row),
    roomId: row.room_id,
    uploaderId: row.uploader_id,
    storageKey: row.storage_key,
    messageId: row.message_id,
  };
}

/**
 * `job` with its client's and cleaner's display names (`clientName`, `cleanerName`) as `people` has them;
 * a person not there leaves the name out. As support staff's list and feed show a job.
 */
export function withJobNames(job: Job, people: ReadonlyMap<number, User>): Job {
  const named: Job = { ...job };
  const client = job.clientId === undefined ? undefined : people.get(job.clientId);
  const cleaner = job.cleanerId === undefined || job.cleanerId === null ? undefined : people.get(job.cleanerId);
  if (client) named.clientName = client.displayName;
  if (cleaner) named.cleanerName = cleaner.displayName;
  return named;
}

/** A job from its row; `roomIsActive` (its room's `is_active`, null without a room) gives `roomActive` when known. */
export function toJob(row: Selectable<JobsTable>, roomId: number | null, roomIsActive?: number | null): Job & { clientId: number; cleanerId: number | null } {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    description: row.description,
    address: row.address,
    scheduledAt: row.scheduled_at,
    clientId: row.client_id,
    cleanerId: row.cleaner_id,
    roomId,
    ...(roomId === null || roomIsActive === undefined || roomIsActive === null ? {} : { roomActive: roomIsActive === 1 }),
    createdAt: row.created_at,
  };
}

/** Users never change once created, so they are cached by id. */
export class UserCache {
  private readonly users = new Map<number, User>();

  constructor(private readonly maxEntries = 100_000) {}

  get(id: number): User | undefined {
    return this.users.get(id);
  }

  /** Stores `user` as the newest entry; when full, the entry put longest ago makes room. */
  put(user: User): void {
    this.users.delete(user.id);
    if (this.users.size >= this.maxEntries) this.users.delete(this.users.keys().next().value as number);
    this.users.set(user.id, user);
  }

  async load(db: Kysely<Database>, ids: Iterable<number>): Promise<Map<number, User>> {
    const wanted = [...new Set(ids)];
    const missing = wanted.filter((id) => !this.users.has(id));
    if (missing.length > 0) {
      const rows = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role']).where('id', 'in', missing).execute();
      for (const row of rows) this.put(toUser(row));
    }
    const found = new Map<number, User>();
    for (const id of wanted) {
      const user = this.users.get(id);
      if (user) found.set(id, user);
    }
    return found;
  }
}

/** Complete Message objects for rows, in the rows' order. */
export async function hydrateMessages(db: Kysely<Database>, users: UserCache, rows: MessageRow[]): Promise<Message[]> {
  if (rows.length === 0) return [];
  const replyIds = [...new Set(rows.flatMap((r) => (r.reply_to_id === null ? [] : [r.reply_to_id])))];
  const attachmentIds = [...new Set(rows.flatMap((r) => (r.attachment_id === null ? [] : [r.attachment_id])))];
  const [replies, attachments] = await Promise.all([
    replyIds.length === 0
      ? []
      : db.selectFrom('messages').select(['id', 'seq', 'sender_id', 'type', 'content', 'deleted_at']).where('id', 'in', replyIds).execute(),
    attachmentIds.length === 0 ? [] : db.selectFrom('attachments').selectAll().where('id', 'in', attachmentIds).execute(),
  ]);
  const replyById = new Map(replies.map((r) => [r.id, r]));
  const attachmentById = new Map<number, Attachment>(attachments.map((a) => [a.id, toMessageAttachment(a)]));
  return messagesOf(db, users, rows, replyById, attachmentById);
}

/** Messages of rows whose reply targets and attachments are loaded: only their senders and deleters are looked up (cached). */
export async function messagesOf(
  db: Kysely<Database>,
  users: UserCache,
  rows: MessageRow[],
  replyById: Map<number, ReplyRow>,
  attachmentById: Map<number, Attachment>,
): Promise<Message[]> {
  const senderIds: number[] = [];
  for (const row of rows) {
    if (row.sender_id !== null) senderIds.push(row.sender_id);
    if (row.deleted_by !== null) senderIds.push(row.deleted_by);
  }
  for (const reply of replyById.values()) if (reply.sender_id !== null) senderIds.push(reply.sender_id);
  const senders = await users.load(db, senderIds);
  return rows.map((row) => toMessage(row, senders, row.reply_to_id === null ? undefined : replyById.get(row.reply_to_id), attachmentById));
}

/** A reply target's columns that a message shows. */
export type ReplyRow = Pick<MessageRow, 'id' | 'seq' | 'sender_id' | 'type' | 'content' | 'deleted_at'>;

/** The contract's Message of a row, given its sender/deleter/reply users, reply target and attachments. */
export function toMessage(
  row: MessageRow,
  senders: Map<number, User>,
  reply: ReplyRow | undefined,
  attachmentById: Map<number, Attachment>,
): Message {
  const message: Message = {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    sender: row.sender_id === null ? null : (senders.get(row.sender_id) ?? null),
    type: row.type,
    content: row.content,
    attachment: row.attachment_id === null ? null : (attachmentById.get(row.attachment_id) ?? null),
    replyTo: reply
      ? {
          id: reply.id,
          seq: reply.seq,
          sender: reply.sender_id === null ? null : (senders.get(reply.sender_id) ?? null),
          excerpt: replyExcerpt({ type: reply.type, content: reply.content, deletedAt: reply.deleted_at }),
        }
      : null,
    clientId: row.client_id,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by === null ? null : (senders.get(row.deleted_by) ?? null),
  };
  // Only a job's notice has one: every other message's frame stays as it was, without the key.
  if (row.actor_id !== null) message.actorId = row.actor_id;
  return message;
}
