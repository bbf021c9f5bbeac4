/**
 * The send path on SQLite without a query builder: each batch is one
 * synchronous better-sqlite3 transaction of prepared statements (indexed
 * point lookups and single-row writes, a few microseconds each), planned by
 * the same `planAppend` as the Kysely path. Batches of read marks go the
 * same way (`markReads`).
 *
 * Why: through Kysely every statement of a batch was built, compiled to
 * text, looked up in the statement cache and run behind the driver's async
 * mutex — more CPU than SQLite's own work. Here a batch costs one lease of
 * Kysely's connection (so no Kysely query or transaction of this process
 * interleaves) and plain statement runs.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Attachment } from '@ecc/protocol';
import { keyOf, planAppend, RepeatedClientId, resultsOfPlan, rowsOfPlan, type AppendLookups } from './appendPlan.ts';
import { unreadCountOf, type PairCountRow } from './unreadCounts.ts';
import { markedReads, mergeReadMarks, ownAfterOf, ownCountRange, readMarkKey } from './readMarks.ts';
import { messagesOf, toMessageAttachment, type MessageRow, type ReplyRow, type UserCache } from './rows.ts';
import type { SynchronousMode } from './sqlite.ts';
import type { SqliteCheckpointer } from './sqliteCheckpointer.ts';
import type { Database } from './schema.ts';
import type { AppendResult, MarkedRead, NewMessage, ReadMark, ReadResult, UnreadCount } from './store.ts';

const SQL = {
  room: 'select is_active, last_seq from rooms where id = ?',
  existing: 'select * from messages where sender_id = ? and client_id = ?',
  reply: 'select id, room_id, seq, sender_id, type, content, deleted_at from messages where id = ?',
  attachment: 'select * from attachments where id = ?',
  // A clientId already stored inserts nothing (changes = 0): the batch is redone with lookups.
  insert: `insert into messages (room_id, seq, sender_id, type, content, attachment_id, reply_to_id, client_id, created_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (sender_id, client_id) do nothing`,
  setLastSeq: 'update rooms set last_seq = ?, updated_at = ? where id = ?',
  addOwn: 'update participants set own_after_read = own_after_read + ? where room_id = ? and user_id = ?',
  linkAttachment: 'update attachments set message_id = ? where id = ?',
  // A user's total and version summed by SQLite (unreadCounts.ts): one row however many rooms, with one room's own count.
  userCounts: `select u.total, u.user_version,
                 max(0, r.last_seq - p.last_read_seq - p.own_after_read) as unread, r.last_seq + p.last_read_seq as room_version
               from (select coalesce(sum(case when r.is_active <> 0 then max(0, r.last_seq - p.last_read_seq - p.own_after_read) else 0 end), 0) as total,
                       coalesce(sum(r.last_seq + p.last_read_seq + case when r.is_active <> 0 then 0 else 1 end), 0) as user_version
                     from participants p join rooms r on r.id = p.room_id where p.user_id = ?) u
               left join participants p on p.room_id = ? and p.user_id = ? left join rooms r on r.id = p.room_id`,
  roomCount: `select max(0, r.last_seq - p.last_read_seq - p.own_after_read) as unread, r.last_seq + p.last_read_seq as room_version
              from participants p join rooms r on r.id = p.room_id where p.room_id = ? and p.user_id = ?`,
  readMark: 'select last_read_seq, own_after_read from participants where room_id = ? and user_id = ?',
  countOwn: 'select count(*) as n from messages where room_id = ? and seq > ? and seq <= ? and sender_id = ?',
  setReadMark: 'update participants set last_read_seq = ?, own_after_read = ? where room_id = ? and user_id = ?',
} as const;

type Statements = { [K in keyof typeof SQL]: SQLite.Statement };

interface AttachmentRow {
  id: number;
  room_id: number;
  uploader_id: number;
  message_id: number | null;
  mime: string;
  name: string;
  size: number;
  width: number | null;
  height: number | null;
}

/** What one transaction stored, before users are attached (that may need an async load). */
interface StoredBatch {
  plan: ReturnType<typeof planAppend>;
  rows: MessageRow[];
  rowIndex: number[];
  replies: Map<number, ReplyRow & { room_id: number }>;
  attachments: Map<number, Attachment>;
}

export class SqliteHotPath {
  /** Prepared on first use: the tables exist only after migrations. */
  private statements: Statements | null = null;
  private readonly appendTransaction: SQLite.Transaction<(batch: NewMessage[], now: string, optimistic: boolean) => StoredBatch>;
  private readonly readTransaction: SQLite.Transaction<(pairs: { userId: number; roomId: number }[]) => UnreadCount[]>;
  private readonly readMarksTransaction: SQLite.Transaction<(marks: ReadMark[]) => MarkedRead[]>;

  constructor(
    private readonly raw: SQLite.Database,
    private readonly db: Kysely<Database>,
    private readonly users: UserCache,
    /** The connection's mode, as opened: read marks relax FULL for their own commit. */
    private readonly synchronous: SynchronousMode,
    private readonly checkpointer: SqliteCheckpointer | null = null,
  ) {
    this.appendTransaction = raw.transaction((batch: NewMessage[], now: string, optimistic: boolean) => this.store(batch, now, optimistic));
    // One read transaction for all of a batch's lookups (each statement alone would open and close one).
    this.readTransaction = raw.transaction((pairs: { userId: number; roomId: number }[]) => this.countUnread(pairs));
    this.readMarksTransaction = raw.transaction((marks: ReadMark[]) => this.moveReadMarks(marks));
  }

  async appendMessages(batch: NewMessage[]): Promise<AppendResult[]> {
    if (batch.length === 0) return [];
    const now = new Date().toISOString();
    // IMMEDIATE: take the write lock first, so another process on the file cannot make us fail mid-batch.
    // Optimistic first: a clientId is almost never repeated, so no lookup per send; a repeat redoes the batch.
    const stored = await this.exclusive(async () => {
      // Holding the connection, no transaction of ours is open: a RESTART the checkpointer asked for runs now.
      await this.checkpointer?.beforeWrite();
      try {
        return this.appendTransaction.immediate(batch, now, true);
      } catch (err) {
        if (!(err instanceof RepeatedClientId)) throw err;
        return this.appendTransaction.immediate(batch, now, false);
      }
    });
    return this.results(this.db, stored);
  }

  /**
   * Stores a batch inside a Kysely transaction the caller has open (it holds
   * the connection): a savepoint of that transaction, with clientId lookups.
   */
  appendInTransaction(trx: Kysely<Database>, batch: NewMessage[]): Promise<AppendResult[]> {
    if (batch.length === 0) return Promise.resolve([]);
    return this.results(trx, this.appendTransaction(batch, new Date().toISOString(), false));
  }

  /** The batch's results, with senders attached (loaded through `db`, which must be free to query). */
  private async results(db: Kysely<Database>, stored: StoredBatch): Promise<AppendResult[]> {
    const messages = await messagesOf(db, this.users, stored.rows, stored.replies, stored.attachments);
    return resultsOfPlan(stored.plan, stored.rowIndex, messages);
  }

  /** Unread per (user, room) and each user's total over active rooms: one aggregate read per distinct user. */
  unreadFor(pairs: { userId: number; roomId: number }[]): Promise<UnreadCount[]> {
    if (pairs.length === 0) return Promise.resolve([]);
    return this.exclusive(() => this.readTransaction(pairs));
  }

  /**
   * A user's first pair reads their totals and that room's count in one statement; a further room of
   * the same user is a point lookup. No row per room of the user reaches JavaScript (a support agent
   * is in thousands).
   */
  private countUnread(pairs: { userId: number; roomId: number }[]): UnreadCount[] {
    const st = this.prepared();
    const users = new Map<number, PairCountRow>();
    return pairs.map((pair) => {
      const { userId, roomId } = pair;
      const user = users.get(userId);
      if (!user) {
        const row = st.userCounts.get(userId, roomId, userId) as PairCountRow;
        users.set(userId, row);
        return unreadCountOf(pair, row);
      }
      const room = st.roomCount.get(roomId, userId) as Pick<PairCountRow, 'unread' | 'room_version'> | undefined;
      return unreadCountOf(pair, { ...user, unread: room?.unread ?? null, room_version: room?.room_version ?? null });
    });
  }

  /**
   * A batch of read marks and the readers' counts as one synchronous transaction of prepared
   * statements (through Kysely one mark cost more than twice as much, and a read is about as
   * frequent as a message).
   */
  markReads(marks: ReadMark[]): Promise<MarkedRead[]> {
    if (marks.length === 0) return Promise.resolve([]);
    return this.exclusive(async () => {
      await this.checkpointer?.beforeWrite();
      // Not synced to disk on its own: a read mark lost to a power cut only shows a message unread
      // again, and the next message's synced commit makes it durable too (it syncs the whole WAL).
      // Synced, read batches (as many as message batches) would each hold the event loop for a sync.
      const synced = this.synchronous === 'FULL';
      if (synced) this.raw.pragma('synchronous = NORMAL');
      try {
        return this.readMarksTransaction.immediate(marks);
      } finally {
        if (synced) this.raw.pragma('synchronous = FULL');
      }
    });
  }

  private moveReadMarks(marks: ReadMark[]): MarkedRead[] {
    const outcomes = new Map<string, ReadResult>();
    for (const mark of mergeReadMarks(marks)) outcomes.set(readMarkKey(mark), this.moveReadMark(mark.roomId, mark.userId, mark.seq));
    return markedReads(marks, outcomes, this.countUnread(marks));
  }

  private moveReadMark(roomId: number, userId: number, seq: number): ReadResult {
    const st = this.prepared();
    const mark = st.readMark.get(roomId, userId) as { last_read_seq: number; own_after_read: number } | undefined;
    const room = st.room.get(roomId) as { last_seq: number } | undefined;
    if (!mark || !room) return { lastReadSeq: 0, moved: false };
    const target = Math.min(seq, room.last_seq);
    if (target <= mark.last_read_seq) return { lastReadSeq: mark.last_read_seq, moved: false };
    const range = ownCountRange(mark.last_read_seq, target, room.last_seq);
    let ownAfter = 0;
    if (range) {
      const { n } = st.countOwn.get(roomId, range.from, range.to, userId) as { n: number };
      ownAfter = ownAfterOf(range, mark.own_after_read, n);
    }
    st.setReadMark.run(target, ownAfter, roomId, userId);
    return { lastReadSeq: target, moved: true };
  }

  /** Runs synchronous work on the raw handle while holding Kysely's only connection. */
  private exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    return this.db.connection().execute(async () => work());
  }

  private prepared(): Statements {
    if (!this.statements) {
      const entries = Object.entries(SQL).map(([name, text]) => [name, this.raw.prepare(text)]);
      this.statements = Object.fromEntries(entries) as Statements;
    }
    return this.statements;
  }

  /**
   * Inside the transaction: look up what the plan needs, plan, write. When
   * `optimistic`, stored clientIds are not looked up: an insert that hits one
   * throws RepeatedClientId and the caller redoes the batch with lookups.
   */
  private store(batch: NewMessage[], now: string, optimistic: boolean): StoredBatch {
    const st = this.prepared();
    const lookups: AppendLookups = { rooms: new Map(), existingByKey: new Map(), replyRoom: new Map(), attachments: new Map() };
    const replies = new Map<number, ReplyRow & { room_id: number }>();
    const attachments = new Map<number, Attachment>();
    const loadReply = (id: number) => {
      if (replies.has(id)) return;
      const reply = st.reply.get(id) as (ReplyRow & { room_id: number }) | undefined;
      if (reply) replies.set(id, reply);
    };
    const loadAttachment = (id: number) => {
      if (lookups.attachments.has(id)) return;
      const attachment = st.attachment.get(id) as AttachmentRow | undefined;
      if (!attachment) return;
      lookups.attachments.set(id, attachment);
      attachments.set(id, toMessageAttachment(attachment));
    };
    for (const entry of batch) {
      if (!lookups.rooms.has(entry.roomId)) {
        const room = st.room.get(entry.roomId) as { is_active: number; last_seq: number } | undefined;
        if (room) lookups.rooms.set(entry.roomId, { is_active: room.is_active, seqBase: room.last_seq });
      }
      // Optimistic, a send is looked up only when its room refuses it: it may retry one stored before the room closed.
      const room = lookups.rooms.get(entry.roomId);
      const key = optimistic && room?.is_active ? null : keyOf(entry.senderId, entry.clientId);
      if (key !== null && !lookups.existingByKey.has(key)) {
        const row = st.existing.get(entry.senderId, entry.clientId) as MessageRow | undefined;
        if (row) lookups.existingByKey.set(key, row);
      }
      if (entry.replyToId) loadReply(entry.replyToId);
      if (entry.attachmentId) loadAttachment(entry.attachmentId);
    }
    // Rows returned as duplicates may point at replies and attachments too.
    for (const row of lookups.existingByKey.values()) {
      if (row.reply_to_id !== null) loadReply(row.reply_to_id);
      if (row.attachment_id !== null) loadAttachment(row.attachment_id);
    }
    for (const reply of replies.values()) lookups.replyRoom.set(reply.id, reply.room_id);

    const plan = planAppend(batch, lookups, now);
    const newIds: number[] = [];
    for (const p of plan.entries) {
      if (p.kind !== 'new') continue;
      const r = p.row;
      const info = st.insert.run(r.room_id, r.seq, r.sender_id, r.type, r.content, r.attachment_id, r.reply_to_id, r.client_id, r.created_at);
      if (info.changes === 0) throw new RepeatedClientId();
      newIds.push(Number(info.lastInsertRowid));
    }
    for (const [roomId, lastSeq] of plan.roomSeqs) st.setLastSeq.run(lastSeq, now, roomId);
    for (const [roomId, userId, n] of plan.ownCounts) st.addOwn.run(n, roomId, userId);
    const { rows, rowIndex, attachmentLinks } = rowsOfPlan(plan, newIds);
    for (const [attachmentId, messageId] of attachmentLinks) st.linkAttachment.run(messageId, attachmentId);
    return { plan, rows, rowIndex, replies, attachments };
  }
}
