/** Reading a JSON request body with a size limit and a zod check. */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { ChatError } from '@ecc/protocol';

/** `application/json`, with parameters (`; charset=utf-8`) or none; not `application/json-seq`. */
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Reads at most `maxBytes` of the body, parses JSON and validates it; BAD_REQUEST / TOO_LARGE otherwise.
 * A body without Content-Type is read as JSON (some HTTP clients send none); one declared as another
 * type is UNSUPPORTED_MEDIA_TYPE (415). Cross-site requests are kept out by the Origin check
 * (security.ts, run by the routes before the body is read), not by this.
 */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S, maxBytes: number): Promise<z.infer<S>> {
  requireJsonType(req);
  const bytes = await readBytes(req, maxBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ChatError('BAD_REQUEST', 'Body is not valid JSON');
  }
  return validated(schema, raw, 'body');
}

/** UNSUPPORTED_MEDIA_TYPE unless the request declares JSON or no type at all (some HTTP clients send none). */
export function requireJsonType(req: IncomingMessage): void {
  const type = req.headers['content-type']?.trim() ?? '';
  if (type !== '' && !JSON_TYPE.test(type)) throw new ChatError('UNSUPPORTED_MEDIA_TYPE', 'The body must be JSON (Content-Type: application/json)');
}

/** The whole body, at most `maxBytes` of it (TOO_LARGE past it, declared or sent). */
export async function readBytes(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new ChatError('TOO_LARGE', 'Request body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of bodyOf(req)) {
    size += chunk.length;
    if (size > maxBytes) throw new ChatError('TOO_LARGE', 'Request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** `raw` checked by `schema`; BAD_REQUEST naming the first field at fault ("Invalid body: "title": …") otherwise. */
export function validated<S extends z.ZodType>(schema: S, raw: unknown, what: 'body' | 'query'): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
    throw new ChatError('BAD_REQUEST', `Invalid ${what}: ${where}${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** Reads and discards an (optional) empty body, for POSTs without one. */
export async function drainBody(req: IncomingMessage, maxBytes: number): Promise<void> {
  let size = 0;
  for await (const chunk of bodyOf(req)) {
    size += chunk.length;
    if (size > maxBytes) throw new ChatError('TOO_LARGE', 'Request body too large');
  }
}

/**
 * The body's chunks. A client that leaves mid-body ("aborted", ECONNRESET) is BAD_REQUEST, not a
 * failure of ours: as INTERNAL it was logged as an error with its stack, which anyone could repeat.
 */
async function* bodyOf(req: IncomingMessage): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    throw new ChatError('BAD_REQUEST', 'The request body was cut off', { cause: err });
  }
}
