/**
 * The pino logger. Tokens, cookies and passwords are redacted; message
 * content is never passed to the logger in the first place.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

/** A logger at `level` writing JSON lines to stdout. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    // The pid tells apart the lines of workers sharing one stdout (socket ids, `conn`, count from 1 in each).
    base: { pid: process.pid },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'token', 'password', '*.token', '*.password'],
      censor: '[redacted]',
    },
  });
}
