import { ChatError, type ErrorCode } from '@ecc/protocol';

/** A ChatError from an HTTP answer, with its status (and Retry-After for 429). */
export class HttpChatError extends ChatError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
    this.name = 'HttpChatError';
  }
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
