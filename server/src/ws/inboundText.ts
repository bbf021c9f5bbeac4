/**
 * A client frame's text. The contract takes UTF-8 JSON text frames only: a
 * binary frame, or a text frame whose bytes are not UTF-8, is answered
 * `BAD_REQUEST` — with the frame's `ref` when one can still be read from it, so
 * the client can tell which of its requests failed.
 */
import { isUtf8 } from 'node:buffer';
import type { RawData } from 'ws';
import { ChatError, parseClientFrame } from '@ecc/protocol';

export type InboundText = { ok: true; text: string } | { ok: false; error: ChatError; ref?: string };

export function readInboundText(data: RawData, isBinary: boolean): InboundText {
  const bytes = rawToBuffer(data);
  // ws does not check text frames' bytes (see upgrade.ts): done here.
  if (!isBinary && isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  const why = isBinary ? 'Binary frames are not supported; send JSON text' : 'Text frames must be valid UTF-8';
  const ref = refOf(bytes);
  const error = new ChatError('BAD_REQUEST', why);
  return ref === undefined ? { ok: false, error } : { ok: false, error, ref };
}

/**
 * The `ref` of an unreadable frame, read as a text frame would be (the contract's rules for a ref),
 * its bytes decoded leniently. A ref that itself held bytes that are not UTF-8 is not the client's.
 */
function refOf(bytes: Buffer): string | undefined {
  const parsed = parseClientFrame(bytes.toString('utf8'));
  const ref = parsed.ok ? parsed.frame.ref : parsed.ref;
  return ref?.includes('\uFFFD') ? undefined : ref;
}

/** A frame's size in bytes. */
export function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data.byteLength;
}

function rawToBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
