import { ChatError, type ErrorCode } from '@ecc/protocol';

/** A ChatError from an HTTP answer, with its status (and Retry-After for 429, and the room it names, if any). */
export class HttpChatError extends ChatError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly retryAfterSeconds?: number,
    { roomId }: { roomId?: number } = {},
  ) {
    super(code, message);
    this.name = 'HttpChatError';
    if (roomId !== undefined) this.roomId = roomId;
  }

  /** The room the answer names (an addition): the one another agent handles, for CONFLICT from `openSupportFor`. */
  readonly roomId?: number;
}

/** Codes after which re-sending the same frame cannot succeed; the app must change something. */
export const PERMANENT_SEND_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ROOM_CLOSED',
  'TOO_LARGE',
  'RATE_LIMITED',
  'CONFLICT',
  'INVALID_CREDENTIALS',
  'UNSUPPORTED_MEDIA_TYPE',
]);

/** Server-side failures worth retrying with the same clientId (nothing was stored, no ack was sent). */
export function isTransient(code: ErrorCode): boolean {
  return code === 'INTERNAL' || code === 'UNAVAILABLE';
}

/**
 * Whether an error answer to a send proves the server holds nothing under its clientId (`send_failed`'s
 * `refused`). It does for every code but the transient ones: the server answers a clientId it stored with
 * its ack, before any other check of the batch (a closed room, a spent upload) and past the rate limit,
 * and the checks made before (the frame, the room, being its participant) are the same for every attempt.
 * INTERNAL or UNAVAILABLE proves nothing: a commit that failed may have been made, and the replay of a send
 * stored on a socket that dropped before its ack may meet a database hiccup.
 */
export function sendRefused(code: ErrorCode): boolean {
  return !isTransient(code);
}
