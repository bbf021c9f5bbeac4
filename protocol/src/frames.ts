/**
 * One zod schema per frame type (protocol §3, §4), discriminated on `type`.
 * Types come from the schemas, so the runtime check and the type never drift.
 * Client frames are checked once, where the server's socket receives them;
 * the client library checks server frames the same way.
 */
import { z } from 'zod';
import { absentIfNull } from './absent.ts';
import { atMostChars, withinChars } from './chars.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { ChatError } from './errors.ts';
import { ERROR_CODES } from './errors.ts';
import { Id, INT32_MAX, IsoTime, Job, Message, Room, StoredText, User } from './shapes.ts';

const RefText = z.string().refine(...atMostChars(DEFAULT_LIMITS.refMaxChars));
const Ref = RefText.optional();
/** A client frame's optional fields may be sent as null, meaning absent (a server frame's never are). */
const ClientRef = absentIfNull(RefText);
const Seq = z.number().int().nonnegative().max(INT32_MAX);
// A seq a client names past the 32-bit range is past every room's end: clamped to it here (a read
// marks everything, a page before it is the latest, one after it is empty), never given to the
// database. The contract refuses only ill-typed fields, and a large integer is not one.
const ClientSeq = z
  .number()
  .int()
  .nonnegative()
  .transform((seq) => Math.min(seq, INT32_MAX));
// An attachment id past the 32-bit range names no upload: BAD_REQUEST, as for any id not usable here.
const RowId = Id.max(INT32_MAX);
// Any integer names a room: one that cannot exist (0, negative, past the 32-bit column) is as unknown
// as any other, NOT_FOUND (the room access check), not BAD_REQUEST, which is for ill-typed fields.
const RoomRef = z.number().int();

// ---- client → server -------------------------------------------------------

export const SendFrame = z.object({
  type: z.literal('send'),
  ref: ClientRef,
  roomId: RoomRef,
  clientId: StoredText.min(1).refine(...atMostChars(DEFAULT_LIMITS.clientIdMaxChars)),
  // Length is checked by the server against its configured limit (TOO_LARGE, not BAD_REQUEST).
  content: StoredText,
  replyToId: absentIfNull(Id),
  attachmentId: absentIfNull(RowId),
});

export const HistoryFrame = z
  .object({
    type: z.literal('history'),
    ref: ClientRef,
    roomId: RoomRef,
    beforeSeq: absentIfNull(ClientSeq),
    afterSeq: absentIfNull(ClientSeq),
    limit: absentIfNull(z.number().int().min(1).max(DEFAULT_LIMITS.historyMaxLimit)),
  })
  .refine((f) => f.beforeSeq === undefined || f.afterSeq === undefined, {
    message: 'Give beforeSeq or afterSeq, not both',
  });

export const ReadFrame = z.object({ type: z.literal('read'), ref: ClientRef, roomId: RoomRef, seq: ClientSeq });
export const TypingFrame = z.object({ type: z.literal('typing'), ref: ClientRef, roomId: RoomRef, isTyping: z.boolean() });
export const EditFrame = z.object({ type: z.literal('edit'), ref: ClientRef, messageId: Id, content: StoredText });
export const DeleteFrame = z.object({ type: z.literal('delete'), ref: ClientRef, messageId: Id });
export const PingFrame = z.object({ type: z.literal('ping'), ref: ClientRef });

export const CLIENT_FRAME_SCHEMAS = {
  send: SendFrame,
  history: HistoryFrame,
  read: ReadFrame,
  typing: TypingFrame,
  edit: EditFrame,
  delete: DeleteFrame,
  ping: PingFrame,
} as const;

export type ClientFrameType = keyof typeof CLIENT_FRAME_SCHEMAS;
export type ClientFrameOf<T extends ClientFrameType> = z.infer<(typeof CLIENT_FRAME_SCHEMAS)[T]>;
export type ClientFrame = { [T in ClientFrameType]: ClientFrameOf<T> }[ClientFrameType];
export type SendFrame = ClientFrameOf<'send'>;
export type HistoryFrame = ClientFrameOf<'history'>;

export type ParsedClientFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; ref?: string; error: ChatError };

/**
 * Parses one text frame from a client. Never throws: a bad frame yields a
 * BAD_REQUEST carrying the frame's `ref` when one could be read.
 */
export function parseClientFrame(text: string): ParsedClientFrame {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: new ChatError('BAD_REQUEST', 'Frame is not valid JSON') };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: new ChatError('BAD_REQUEST', 'Frame must be a JSON object') };
  }
  const obj = raw as Record<string, unknown>;
  const ref = typeof obj.ref === 'string' && withinChars(obj.ref, DEFAULT_LIMITS.refMaxChars) ? obj.ref : undefined;
  const fail = (message: string): ParsedClientFrame =>
    ref === undefined
      ? { ok: false, error: new ChatError('BAD_REQUEST', message) }
      : { ok: false, ref, error: new ChatError('BAD_REQUEST', message) };
  if (typeof obj.type !== 'string') return fail('Frame has no string "type"');
  if (!Object.hasOwn(CLIENT_FRAME_SCHEMAS, obj.type)) return fail(`Unknown frame type "${obj.type.slice(0, 40)}"`);
  const schema = CLIENT_FRAME_SCHEMAS[obj.type as ClientFrameType];
  const result = schema.safeParse(obj);
  if (!result.success) return fail(describeIssues(result.error));
  return { ok: true, frame: result.data as ClientFrame };
}

function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'Invalid frame';
  const path = first.path.join('.');
  return path ? `Invalid field "${path}": ${first.message}` : first.message;
}

// ---- server → client -------------------------------------------------------

export const ReadyEvent = z.object({
  type: z.literal('ready'),
  user: User,
  rooms: z.array(Room),
  totalUnread: z.number().int().nonnegative(),
  serverTime: IsoTime,
});
export const AckEvent = z.object({ type: z.literal('ack'), ref: Ref, clientId: z.string(), message: Message });
export const MessageEvent = z.object({ type: z.literal('message'), message: Message });
/** Addition: the requesting socket's copy after `edit`/`delete` carries that frame's `ref`. */
export const MessageUpdatedEvent = z.object({ type: z.literal('message_updated'), ref: Ref, message: Message });
export const HistoryEvent = z.object({
  type: z.literal('history'),
  ref: Ref,
  roomId: Id,
  messages: z.array(Message),
  hasMore: z.boolean(),
});
/** Addition: the reading socket's copy after `read` carries that frame's `ref`. */
export const UnreadEvent = z.object({
  type: z.literal('unread'),
  ref: Ref,
  roomId: Id,
  unread: z.number().int().nonnegative(),
  totalUnread: z.number().int().nonnegative(),
});
export const ReceiptEvent = z.object({ type: z.literal('receipt'), roomId: Id, userId: Id, lastReadSeq: Seq });
export const TypingEvent = z.object({
  type: z.literal('typing'),
  roomId: Id,
  userId: Id,
  username: z.string(),
  isTyping: z.boolean(),
});
export const PresenceEvent = z.object({
  type: z.literal('presence'),
  userId: Id,
  online: z.boolean(),
  lastSeen: IsoTime.nullable(),
});
export const RoomEvent = z.object({ type: z.literal('room'), room: Room });
export const ErrorEvent = z.object({
  type: z.literal('error'),
  ref: Ref,
  code: z.enum(ERROR_CODES),
  message: z.string(),
});
export const PongEvent = z.object({ type: z.literal('pong'), ref: Ref });
/**
 * Addition, to every connected cleaner: the open-jobs board changed. `job` is the job as a cleaner's
 * `GET /api/jobs` lists it while open (no address, no clientId); with another status it has left the board
 * (accepted by a cleaner, or cancelled), and then carries no `address`, `clientId`, `cleanerId` or `roomId`.
 */
export const OpenJobEvent = z.object({ type: z.literal('open_job'), job: Job });
/**
 * Addition, to every connected support agent: a job was posted, accepted or changed status. `job` is the
 * job as support's `GET /api/jobs` lists it (address, ids, `clientName`, `cleanerName` once taken).
 */
export const JobChangedEvent = z.object({ type: z.literal('job_changed'), job: Job });

export const ServerFrame = z.discriminatedUnion('type', [
  ReadyEvent,
  AckEvent,
  MessageEvent,
  MessageUpdatedEvent,
  HistoryEvent,
  UnreadEvent,
  ReceiptEvent,
  TypingEvent,
  PresenceEvent,
  RoomEvent,
  ErrorEvent,
  PongEvent,
  OpenJobEvent,
  JobChangedEvent,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
/** The server frame types of this version; a client ignores any other (the contract adds new ones). */
export const SERVER_FRAME_TYPES: ReadonlySet<string> = new Set(ServerFrame.options.map((option) => option.shape.type.value));
export type ServerFrameType = ServerFrame['type'];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;
