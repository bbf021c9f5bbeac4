/**
 * The closed set of error codes (protocol §6), their HTTP statuses, and the
 * one error type both sides throw. Mapping to a status or an `error` frame
 * happens only through `httpStatusOf` / `ChatError.toFrame`.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'ROOM_CLOSED',
  'TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'CONFLICT',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROOM_CLOSED: 409,
  TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** An error with a contract code; `cause` keeps the original for logs only. */
export class ChatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChatError';
  }

  /** Anything thrown becomes a ChatError; unknown failures become INTERNAL without leaking details. */
  static fromUnknown(err: unknown): ChatError {
    if (err instanceof ChatError) return err;
    return new ChatError('INTERNAL', 'Internal error', { cause: err });
  }

  toFrame(ref?: string): { type: 'error'; ref?: string; code: ErrorCode; message: string } {
    return ref === undefined
      ? { type: 'error', code: this.code, message: this.message }
      : { type: 'error', ref, code: this.code, message: this.message };
  }

  toBody(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
