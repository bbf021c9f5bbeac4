/**
 * POST /api/rooms/:id/attachments (participants of an active room, one file
 * in field `file`, within the user's upload quota) → Attachment; GET /api/attachments/:id serves it to the
 * room's participants only, as a download-safe, never-active response (an
 * upload no message carries yet to its uploader only: 404 to anyone else);
 * DELETE /api/attachments/:id lets its uploader take back a file not sent yet.
 */
import { mkdir, open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { ChatError, type Attachment } from '@ecc/protocol';
import { contentDisposition, sanitizeFileName } from '../../attachments/fileType.ts';
import { imageSizeOfFile } from '../../attachments/imageSize.ts';
import { receiveFile } from '../../attachments/receive.ts';
import { quotaExceeded, uploadQuotaAt } from '../../attachments/uploadQuota.ts';
import { removeStoredFile, storedFilePath, uploadsDirOf } from '../../attachments/storedFiles.ts';
import type { Services } from '../../services.ts';
import type { StoredAttachment } from '../../storage/store.ts';
import { requireSession } from '../guard.ts';
import { sendJson } from '../respond.ts';
import type { Router } from '../router.ts';

/** Room for multipart boundaries and headers around the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export function registerAttachmentRoutes(router: Router, services: Services): void {
  const { config, store, access } = services;
  const uploadsDir = uploadsDirOf(config.dataDir);
  let ready: Promise<unknown> | null = null;

  router.add('POST', '/api/rooms/:id/attachments', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    const roomId = ctx.params.id ?? 0;
    await access.requireFresh(roomId, user.id, true);
    const maxBytes = config.limits.maxAttachmentBytes;
    if (Number(ctx.req.headers['content-length'] ?? 0) > maxBytes + MULTIPART_OVERHEAD_BYTES) {
      ctx.res.setHeader('Connection', 'close');
      throw new ChatError('TOO_LARGE', `Files can be at most ${maxBytes} bytes`);
    }
    // A user whose quota is used up is answered before the body is read.
    const now = new Date();
    const quota = uploadQuotaAt(config.limits, now);
    const used = await store.uploadUsage(user.id, quota.since);
    if (used.bytes >= quota.maxBytes) {
      ctx.res.setHeader('Connection', 'close');
      throw quotaExceeded(config.limits, used, now);
    }
    ready ??= mkdir(uploadsDir, { recursive: true });
    await ready;
    let file;
    try {
      file = await receiveFile(ctx.req, { dir: uploadsDir, maxBytes });
    } catch (err) {
      // The rest of the body is not read: end the connection after the answer.
      ctx.res.setHeader('Connection', 'close');
      throw err;
    }
    // No row names a file refused here: nothing else would ever remove it.
    const removeUnrecorded = () =>
      removeStoredFile(config.dataDir, file.storageKey).catch((removal: unknown) => ctx.log.error({ err: removal }, 'removing an unrecorded upload failed'));
    // The size lets the web app keep the photo's own shape before it loads; unread, the photo still goes (shown as before).
    const storedPath = storedFilePath(config.dataDir, file.storageKey);
    const pixels =
      file.type.isImage && storedPath
        ? await imageSizeOfFile(storedPath, file.type.mime).catch((err: unknown) => {
            ctx.log.warn({ err }, 'reading an uploaded image\'s size failed');
            return null;
          })
        : null;
    const recorded = await store
      .createAttachmentWithinQuota(
        {
          roomId,
          uploaderId: user.id,
          name: sanitizeFileName(file.clientName, file.type),
          mime: file.type.mime,
          size: file.size,
          storageKey: file.storageKey,
          pixels,
        },
        quota,
      )
      .catch(async (err: unknown) => {
        await removeUnrecorded();
        throw err;
      });
    if ('refused' in recorded) {
      await removeUnrecorded();
      throw quotaExceeded(config.limits, recorded.refused, new Date());
    }
    const stored = recorded.stored;
    // Unsent uploads are never cleaned up otherwise: uploading without sending must not fill the disk.
    const dropped = await store.dropUnsentUploads(user.id, config.limits.maxUnsentUploads);
    for (const key of dropped) {
      removeStoredFile(config.dataDir, key).catch((err: unknown) => ctx.log.error({ err }, 'removing an unsent upload failed'));
    }
    const { id, name, mime, size, url, width, height } = stored;
    const body: Attachment = { id, name, mime, size, url, ...(width && height ? { width, height } : {}) };
    sendJson(ctx.res, 200, body);
  });

  router.add('GET', '/api/attachments/:id', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    const attachment = visibleAttachment(await store.getAttachment(ctx.params.id ?? 0), user.id);
    const filePath = attachment && storedFilePath(config.dataDir, attachment.storageKey);
    if (!attachment || !filePath) throw new ChatError('NOT_FOUND', 'No such attachment');
    await access.require(attachment.roomId, user.id);
    // Opened before answering: a file removed with its message meanwhile is a 404, not a cut-off 200.
    const file = await open(filePath, 'r').catch(() => null);
    if (!file) throw new ChatError('NOT_FOUND', 'The file is gone');
    // The key names one immutable file. Revalidated on every view, so a deleted photo does not
    // stay viewable from a cache; an unchanged one costs a 304.
    const etag = `"${attachment.storageKey}"`;
    const caching = { ETag: etag, 'Cache-Control': 'private, no-cache' };
    if (matchesEtag(ctx.req.headers['if-none-match'], etag)) {
      await file.close();
      ctx.res.writeHead(304, caching);
      ctx.res.end();
      return;
    }
    const info = await file.stat().catch(async (err: unknown) => {
      await file.close();
      throw err;
    });
    const isImage = attachment.mime.startsWith('image/');
    ctx.res.writeHead(200, {
      'Content-Type': attachment.mime,
      'Content-Length': info.size,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Content-Disposition': contentDisposition(isImage ? 'inline' : 'attachment', attachment.name),
      ...caching,
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    // pipeline closes the file when the download is cut off too.
    pipeline(file.createReadStream(), ctx.res, (err) => {
      if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') ctx.log.error({ err }, 'reading an attachment failed');
    });
  });

  // Files upload when picked: one removed from the composer is deleted, not left for the room to find.
  router.add('DELETE', '/api/attachments/:id', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    const attachment = visibleAttachment(await store.getAttachment(ctx.params.id ?? 0), user.id);
    if (!attachment) throw new ChatError('NOT_FOUND', 'No such attachment');
    await access.require(attachment.roomId, user.id);
    if (attachment.uploaderId !== user.id) throw new ChatError('FORBIDDEN', 'Only its uploader can remove a file');
    const key = await store.discardUnsentUpload(user.id, attachment.id);
    if (key === null) throw new ChatError('CONFLICT', 'The file was sent: delete its message instead');
    await removeStoredFile(config.dataDir, key).catch((err: unknown) => ctx.log.error({ err }, 'removing a discarded upload failed'));
    ctx.res.writeHead(204);
    ctx.res.end();
  });
}

/**
 * The attachment as `userId` may know of it: an upload no message carries yet exists for its
 * uploader only (a file picked by mistake is never seen by the room), so anyone else is told
 * there is no such file — 404, not 403, which would say that the id is in use.
 */
function visibleAttachment(attachment: StoredAttachment | null, userId: number): StoredAttachment | null {
  if (!attachment) return null;
  return attachment.messageId === null && attachment.uploaderId !== userId ? null : attachment;
}

/** `If-None-Match` names this tag (a list, weak tags and `*` included). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
