/** The public types of ChatClient: its options, inputs and events. */
import type { ChatError, Message, ServerFrameOf } from '@ecc/protocol';
import type { BackoffOptions } from './backoff.ts';
import type { ConnectionState } from './connection.ts';
import type { KeepAliveOptions } from './keepAlive.ts';
import type { WebSocketCtor } from './socket.ts';

export type { ConnectionState } from './connection.ts';

export type ReadyEvent = ServerFrameOf<'ready'>;
export type UnreadEvent = ServerFrameOf<'unread'>;
export type ReceiptEvent = ServerFrameOf<'receipt'>;
export type TypingEvent = ServerFrameOf<'typing'>;
export type PresenceEvent = ServerFrameOf<'presence'>;
export type RoomEvent = ServerFrameOf<'room'>;
export type ErrorEvent = ServerFrameOf<'error'>;
export type OpenJobEvent = ServerFrameOf<'open_job'>;
export type JobChangedEvent = ServerFrameOf<'job_changed'>;

export interface ChatClientEvents {
  state: { state: ConnectionState; attempt: number; closeCode?: number };
  ready: ReadyEvent;
  /** Every stored message of a tracked room exactly once, in seq order per room (your own sends included, after their ack). */
  message: { message: Message };
  message_updated: { message: Message };
  unread: UnreadEvent;
  receipt: ReceiptEvent;
  typing: TypingEvent;
  presence: PresenceEvent;
  room: RoomEvent;
  /**
   * Cleaners only (an addition): a job was posted (`status: "open"`), or left the open-jobs board (any
   * other status: accepted, cancelled). Not replayed after a reconnect: read the list again on `ready`.
   */
  open_job: OpenJobEvent;
  /**
   * Support staff only (an addition): a job was posted, accepted or changed status, as support's job list
   * shows it. Not replayed after a reconnect: read the list again on `ready`.
   */
  job_changed: JobChangedEvent;
  /** Errors not tied to a pending request (and invalid server frames). */
  error: ErrorEvent;
  /**
   * `refused`: the server answered this send with an error that proves it holds nothing under its clientId
   * (`sendRefused`: any code but INTERNAL and UNAVAILABLE; a repeated clientId is answered with its ack, even
   * past the rate limit or in a room closed since). Otherwise (a transient error once the retries ran out, no
   * answer in time, the client closed) a send that went out may have been stored: a commit that failed may
   * have been made, and the replay of a send stored on a socket that dropped before its ack can fail INTERNAL.
   * `answered`: the server answered the send's last attempt with this error, refused or not (for INTERNAL and
   * UNAVAILABLE: after the `maxTransientRetries` retries); false when no answer came (no answer in time, the
   * client closed, the connection ended for good, `withdraw`). An app may let the user give up on a send answered
   * so but not refused: sending it again is unlikely to settle it (it may be stored all the same).
   */
  send_failed: { clientId: string; roomId: number; error: ChatError; refused: boolean; answered: boolean };
  /** A send went on a socket for the first time: from now on it may be stored, and `withdraw` no longer takes it back. */
  send_written: { clientId: string; roomId: number };
}

export interface ChatClientOptions {
  /** http(s) base URL of the server; the socket URL is derived: /ws/user/{userId}/ */
  url: string;
  userId: number;
  /** Node: sent as `Authorization: Bearer`; browser: omit (the session cookie is used). */
  token?: string;
  /** Default globalThis.WebSocket; Node passes `ws` (or `nodeWebSocket(token)` from `@ecc/client/node`). */
  WebSocket?: WebSocketCtor;
  backoff?: BackoffOptions;
  /**
   * Time an in-flight request may wait for its answer; default 10 s. Past it, a link that delivered nothing
   * is dropped and the request replayed; from a server that is alive but slow, the request fails (UNAVAILABLE).
   */
  requestTimeoutMs?: number;
  /**
   * Deliver, through `message`, what the user has not read of a room seen for the first time (in any `ready`, or a
   * `room` event): from their read mark instead of the room's lastSeq. For programs that answer messages (a bot
   * started, reconnected, or added to a new room sees each unread message once); default false (the app loads
   * history itself). The unread part is fetched as a gap is, so with `resync: false` it is skipped like one.
   */
  deliverUnread?: boolean;
  /** Fill gaps after reconnect; default true. False also skips what `deliverUnread` would fetch. */
  resync?: boolean;
  /** Client ping timing; defaults from KEEPALIVE in @ecc/protocol. */
  keepAlive?: KeepAliveOptions;
  /** Frames larger than this are refused locally with TOO_LARGE (the server would close the socket); default 64 KiB. */
  maxFrameBytes?: number;
  /** Transient server errors (INTERNAL, UNAVAILABLE) retried per send, and per gap fetch, before it fails; default 3. */
  maxTransientRetries?: number;
  /**
   * A send the client held back (written offline, replayed after a reconnect, or waiting behind a retry) that the
   * server refuses with RATE_LIMITED is sent again this much later, up to 15 times: the queue let go at once was the
   * burst, not the user. Default 2 s. A send refused while the user writes live fails at once (send_failed). The same
   * for edits and deletes held back, but an edit after which a later change of its message was asked (it would undo it).
   */
  rateLimitRetryMs?: number;
  /** After 4429 (the user has too many sockets) the client tries again after 5 s, then 10, 20, up to this; default 30 s (TOO_MANY_SOCKETS_RETRY_MS). */
  tooManySocketsRetryMs?: number;
}

export interface SendInput {
  roomId: number;
  content: string;
  replyToId?: number;
  attachmentId?: number;
  clientId?: string;
}

export interface WithdrawOptions {
  /**
   * Also a send written on a socket that dropped before its answer, waiting for the next connection to go
   * again: the server may hold it (tell the user it may have been delivered). Default false.
   */
  evenIfWritten?: boolean;
}

export interface HistoryQuery {
  roomId: number;
  beforeSeq?: number;
  afterSeq?: number;
  limit?: number;
}
