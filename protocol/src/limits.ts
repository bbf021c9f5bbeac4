/** WebSocket close codes used by the server (protocol §1, §6, §7). */
export const CloseCode = {
  /** Server shutting down; reconnect (to another node). */
  GOING_AWAY: 1001,
  /** A frame over the size limit. */
  MESSAGE_TOO_BIG: 1009,
  /**
   * Reconnect and resync: the socket stopped reading and its send buffer passed the bound (or, a last bound,
   * too many of its frames wait), the fan-out came back from an outage, or `ready` could not be prepared.
   */
  TRY_AGAIN_LATER: 1013,
  /** The session ended (logout or expiry); do not reconnect with the same token. */
  SESSION_ENDED: 4401,
  /** Too many sockets for this user. */
  TOO_MANY_SOCKETS: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect on its own. */
export const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.SESSION_ENDED]);

/**
 * How long a client closed with 4429 waits before it tries again: a place
 * frees up when another of the user's tabs closes, or when the sockets of a
 * node that crashed stop counting (within the presence heartbeat lifetime, 15 s).
 * The first retry comes sooner (then 10, 20, 30 s): after a crash, tabs moving
 * from the dead node are refused only until its sockets stop counting.
 */
export const TOO_MANY_SOCKETS_RETRY_MS = 30_000;
export const TOO_MANY_SOCKETS_FIRST_RETRY_MS = 5_000;

/** Default limits (each configurable on the server). */
export const DEFAULT_LIMITS = {
  maxContentChars: 4000,
  maxFrameBytes: 64 * 1024,
  sendsPerWindow: 30,
  sendWindowMs: 10_000,
  maxSocketsPerUser: 10,
  maxBufferedBytes: 1024 * 1024,
  maxAttachmentBytes: 10 * 1024 * 1024,
  typingExpiryMs: 6000,
  historyDefaultLimit: 50,
  historyMaxLimit: 100,
  refMaxChars: 64,
  clientIdMaxChars: 64,
} as const;

/** The attachment types of the contract: images shown inline, and PDF. */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const ATTACHMENT_MIME_TYPES = [...IMAGE_MIME_TYPES, 'application/pdf'] as const;
export type AttachmentMime = (typeof ATTACHMENT_MIME_TYPES)[number];

/** Keep-alive timing shared by server and client. */
export const KEEPALIVE = {
  /** Server pings every socket this often; one missed pong closes it. */
  serverPingMs: 25_000,
  /** Client sends `ping` frames this often to detect a dead link from its side. */
  clientPingMs: 20_000,
  /** Client gives up on a `pong` after this long and reconnects. */
  clientPongTimeoutMs: 10_000,
} as const;
