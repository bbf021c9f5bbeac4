/**
 * Receives one multipart upload (field `file`) into the uploads directory
 * under a random key, deciding its type from the first bytes. Stops
 * reading as soon as the file is too large or of a refused type.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import busboy from 'busboy';
import { ChatError } from '@ecc/protocol';
import { detectFileType, SNIFF_BYTES, type DetectedType } from './fileType.ts';

/**
 * Largest form field besides the file (none is used): busboy holds a field in memory until it
 * ends, and at its default of 1 MiB each upload left open mid-field held a megabyte.
 */
const MAX_FIELD_BYTES = 1024;

export interface ReceivedFile {
  storageKey: string;
  size: number;
  type: DetectedType;
  /** The name the client gave, unsanitised. */
  clientName: string;
}

/** `multipart/form-data` with its parameters (the boundary), or bare (then refused by busboy as malformed: 400). */
const MULTIPART_TYPE = /^multipart\/form-data\s*(;|$)/i;

export function receiveFile(req: IncomingMessage, opts: { dir: string; maxBytes: number }): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    if (!MULTIPART_TYPE.test(req.headers['content-type']?.trim() ?? '')) {
      reject(new ChatError('UNSUPPORTED_MEDIA_TYPE', 'Upload the file as multipart/form-data, in field "file"'));
      return;
    }
    let parser: busboy.Busboy;
    try {
      // busboy signals `limit` when a file REACHES fileSize: one byte over the limit is what is refused.
      // Other fields are kept in memory until they end (1 MiB each by default), so they are kept small
      // (reaching fieldSize is what busboy marks truncated, as for files).
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fileSize: opts.maxBytes + 1, fields: 10, fieldSize: MAX_FIELD_BYTES + 1, parts: 12 },
      });
    } catch {
      reject(new ChatError('BAD_REQUEST', 'Malformed multipart/form-data Content-Type (it needs a boundary)'));
      return;
    }
    let settled = false;
    let started = false;
    let storedPath: string | null = null;
    // Closed on every failure: an upload cut off mid-file would otherwise keep its descriptor
    // open forever, and the unlinked file's disk space with it.
    let out: WriteStream | null = null;
    // Resolved only when both the file is on disk and the body is fully parsed (either may come first).
    let written: ReceivedFile | null = null;
    let parsed = false;

    const fail = (error: ChatError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      const removeStored = () => {
        if (storedPath) void unlink(storedPath).catch(() => undefined);
      };
      // A file refused before its stream has opened is created by that pending open: removed once closed.
      if (out && !out.closed) out.once('close', removeStored).destroy();
      else removeStored();
      reject(error);
    };
    const finishIfDone = () => {
      if (settled || !written || !parsed) return;
      settled = true;
      resolve(written);
    };

    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || started) {
        stream.resume();
        return;
      }
      started = true;
      const storageKey = randomBytes(16).toString('hex');
      const filePath = path.join(opts.dir, storageKey);
      storedPath = filePath;
      const file = createWriteStream(filePath, { flags: 'wx' });
      out = file;
      const head: Buffer[] = [];
      let headBytes = 0;
      let size = 0;
      let type: DetectedType | null = null;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (type || settled) return;
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SNIFF_BYTES) return;
        type = detectFileType(Buffer.concat(head));
        if (!type) {
          stream.unpipe(file);
          file.destroy();
          stream.resume();
          fail(refusedType());
        }
      });
      stream.on('limit', () => {
        stream.unpipe(file);
        file.destroy();
        stream.resume();
        fail(new ChatError('TOO_LARGE', `Files can be at most ${opts.maxBytes} bytes`));
      });
      // A file shorter than the sniffed head is typed here, once it is whole; this can happen
      // before the rest of the body is parsed, so a refusal fails the upload right away.
      file.on('finish', () => {
        type ??= detectFileType(Buffer.concat(head));
        if (!type) {
          fail(refusedType());
          return;
        }
        written = { storageKey, size, type, clientName: formFileName(info.filename ?? '') };
        finishIfDone();
      });
      file.on('error', (err) => fail(new ChatError('INTERNAL', 'Could not store the file', { cause: err })));
      stream.pipe(file);
    });
    // busboy drops files past `files: 1` unsaid: the user would think the second one sent.
    parser.on('filesLimit', () => fail(new ChatError('BAD_REQUEST', 'Send one file per upload')));
    parser.on('field', (_name, _value, info) => {
      if (info.valueTruncated) fail(new ChatError('BAD_REQUEST', `Form fields other than "file" can be at most ${MAX_FIELD_BYTES} bytes`));
    });
    parser.on('error', () => fail(new ChatError('BAD_REQUEST', 'Malformed multipart body')));
    parser.on('close', () => {
      if (!started) {
        fail(new ChatError('BAD_REQUEST', 'No file in field "file"'));
        return;
      }
      parsed = true;
      finishIfDone();
    });
    req.on('error', () => fail(new ChatError('BAD_REQUEST', 'Upload interrupted')));
    req.pipe(parser);
  });
}

function refusedType(): ChatError {
  return new ChatError('UNSUPPORTED_MEDIA_TYPE', 'Only PNG, JPEG, GIF, WebP images and PDF files can be attached');
}

/**
 * The file name as typed: browsers (and fetch's FormData) write a quote as %22 and a line break as
 * %0D / %0A in the form's `filename="…"` (the HTML form encoding), and nothing else, so "Angebot
 * "final".pdf" came to show as "Angebot %22final%22.pdf". Any other % is the name's own.
 */
export function formFileName(written: string): string {
  return written.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
