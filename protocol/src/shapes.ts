/**
 * The data shapes of the wire contract (../shared/protocol.md §2).
 * Every id is a positive integer. Timestamps are ISO-8601 strings (UTC).
 */
import { z } from 'zod';

export const Id = z.number().int().positive();
/** Rooms, users, attachments and seqs are 32-bit columns (PostgreSQL `integer`); message ids are 64-bit. */
export const INT32_MAX = 2_147_483_647;
export const IsoTime = z.string();

/**
 * Text a client asks the server to store. U+0000 is refused: PostgreSQL text
 * cannot hold it (the whole write would fail), and nobody types it. So is a
 * lone UTF-16 surrogate (JSON `"\ud800"`, which has no UTF-8 form): the
 * databases store it changed (as U+FFFD or bytes read back as such), so the
 * stored text would differ from the one acked, and a clientId holding one
 * would never be found again when retried.
 */
export const StoredText = z
  .string()
  .refine((text) => !text.includes('\u0000'), 'Text must not contain the NUL character (U+0000)')
  .refine((text) => text.isWellFormed(), 'Text must be valid Unicode (a lone UTF-16 surrogate is not)');

export const Role = z.enum(['client', 'cleaner', 'support']);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
});
export type User = z.infer<typeof User>;

export const Participant = User.extend({
  online: z.boolean(),
  lastSeen: IsoTime.nullable(),
  lastReadSeq: z.number().int().nonnegative(),
});
export type Participant = z.infer<typeof Participant>;

export const JOB_STATUSES = ['open', 'assigned', 'in_progress', 'completed', 'cancelled'] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

/** Contract fields first; the rest are additions the web app shows. */
export const Job = z.object({
  id: Id,
  title: z.string(),
  status: JobStatus,
  description: z.string().optional(),
  address: z.string().nullable().optional(),
  /** The job has an address, given to the cleaner who accepts it (an open job listed to a cleaner comes without it). */
  addressOnAccept: z.literal(true).optional(),
  scheduledAt: IsoTime.nullable().optional(),
  clientId: Id.optional(),
  cleanerId: Id.nullable().optional(),
  roomId: Id.nullable().optional(),
  /**
   * An addition: whether the job's room takes messages (`Room.isActive`), with its `roomId`. A finished job's
   * room does until its close grace ends, so support staff are offered to join it exactly then. Absent
   * without a room, and from older servers (read the status instead: assigned and in progress ones do).
   */
  roomActive: z.boolean().optional(),
  createdAt: IsoTime.optional(),
  /**
   * An addition of `GET /api/jobs`: the display names of the job's client and (once taken) cleaner,
   * shown where their ids are (a cleaner browsing open jobs gets neither, docs/protocol.md §8).
   */
  clientName: z.string().optional(),
  cleanerName: z.string().optional(),
});
export type Job = z.infer<typeof Job>;

export const Attachment = z.object({
  id: Id,
  name: z.string(),
  mime: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
  /**
   * An addition: an image's size in pixels as browsers show it (a JPEG turned by its EXIF
   * orientation), read by the server from its header; both or neither. Absent when unknown
   * (a PDF, a header that does not state it plainly, an upload older than migration 013).
   */
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const MessageType = z.enum(['text', 'image', 'file', 'system']);
export type MessageType = z.infer<typeof MessageType>;

export const ReplyRef = z.object({
  id: Id,
  seq: z.number().int().positive(),
  sender: User.nullable(),
  excerpt: z.string(),
});
export type ReplyRef = z.infer<typeof ReplyRef>;

export const Message = z.object({
  id: Id,
  roomId: Id,
  seq: z.number().int().positive(),
  sender: User.nullable(),
  type: MessageType,
  content: z.string(),
  attachment: Attachment.nullable(),
  replyTo: ReplyRef.nullable(),
  clientId: z.string().nullable(),
  createdAt: IsoTime,
  editedAt: IsoTime.nullable(),
  deletedAt: IsoTime.nullable(),
  /**
   * An addition: who deleted the message (the sender, or a support participant of the room); null
   * while it is not deleted, and for one deleted before the server recorded it. Absent from older servers.
   */
  deletedBy: User.nullable().optional(),
  /**
   * An addition: the id of the user whose doing a system notice tells of: a job's move (the cleaner who
   * accepted the job, whoever changed its status: its client, its cleaner or support staff), or a support
   * room's greeting (the user who opened it with "Contact support", or the staff member who started it).
   * Absent on every other message (a user's message, a join notice), on a notice stored before the server
   * recorded it, and from older servers: then who it was is not known, whatever name the words hold.
   */
  actorId: Id.optional(),
});
export type Message = z.infer<typeof Message>;

export const RoomType = z.enum(['job', 'support', 'general']);
export type RoomType = z.infer<typeof RoomType>;

export const Room = z.object({
  id: Id,
  name: z.string(),
  type: RoomType,
  job: Job.nullable(),
  participants: z.array(Participant),
  unread: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  lastMessage: Message.nullable(),
  updatedAt: IsoTime,
  isActive: z.boolean(),
  /**
   * An addition: when this active room of a completed or cancelled job will
   * close (its status change + the server's grace); null otherwise (running
   * jobs, closed rooms, support and general rooms). Absent from older servers.
   */
  closesAt: IsoTime.nullable().optional(),
});
export type Room = z.infer<typeof Room>;
