/**
 * Writing HTTP responses. `sendError` is the ONE place where a ChatError
 * becomes an HTTP status and `{"error":{"code","message"}}` body.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ChatError, httpStatusOf } from '@ecc/protocol';
import type { Logger } from '../logger.ts';

/** Sends `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Seconds to wait, carried by RATE_LIMITED errors as a `Retry-After` header. */
export class RetryAfterError extends ChatError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

/** Status, headers and body of the contract's error answer for any thrown value. */
export function errorResponse(err: unknown): { status: number; headers: Record<string, string>; body: ReturnType<ChatError['toBody']>; error: ChatError } {
  const error = ChatError.fromUnknown(err);
  const headers: Record<string, string> = {};
  if (err instanceof RetryAfterError) headers['Retry-After'] = String(Math.max(1, Math.ceil(err.retryAfterSeconds)));
  return { status: httpStatusOf(error.code), headers, body: error.toBody(), error };
}

/** Maps any thrown value to the contract's error body and status; INTERNAL failures are logged with their cause. */
export function sendError(res: ServerResponse, err: unknown, log: Logger): void {
  const { status, headers, body, error } = errorResponse(err);
  if (status >= 500) log.error({ err: error.cause ?? error }, 'request failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, body, headers);
}

/**
 * Writes the contract's error answer straight to a connection the HTTP server no longer (or not yet)
 * answers on, and destroys it once written: left to the client to close, one that never does would
 * hold it for good.
 */
export function answerRawAndClose(socket: Duplex, err: unknown): void {
  const { status, headers, body } = errorResponse(err);
  if (socket.destroyed) return;
  const text = JSON.stringify(body);
  const head = { Connection: 'close', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers };
  const lines = Object.entries(head).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${lines.join('')}\r\n${text}`, () => socket.destroy());
}
