/**
 * The per-user upload quota: bytes of a user's uploads made within a window that are still stored
 * (sent or not; a file removed with its message, taken back or dropped as an old unsent upload no
 * longer counts, its bytes having left the disk).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Dialect, NewAttachment, StoredAttachment, UploadQuota, UploadUsage } from './store.ts';
import { createAttachment } from './users.ts';

/** Advisory lock class (with the user's id) taking a user's quota checks in turn on every node. */
const UPLOAD_QUOTA_LOCK = 727_274_003;

/** Bytes and oldest time of `uploaderId`'s stored uploads made since `since`. */
export async function uploadUsage(db: Kysely<Database>, uploaderId: number, since: Date): Promise<UploadUsage> {
  const row = await db
    .selectFrom('attachments')
    .select([sql<number | string>`coalesce(sum(size), 0)`.as('bytes'), sql<string | null>`min(created_at)`.as('oldest')])
    .where('uploader_id', '=', uploaderId)
    .where('created_at', '>=', since.toISOString())
    .executeTakeFirstOrThrow();
  return { bytes: Number(row.bytes), oldestAt: row.oldest === null ? null : new Date(row.oldest) };
}

/** Records the upload if it fits the quota with the uploader's others; else records nothing and says how much is used. */
export function createAttachmentWithinQuota(
  db: Kysely<Database>,
  dialect: Dialect,
  attachment: NewAttachment,
  quota: UploadQuota,
): Promise<{ stored: StoredAttachment } | { refused: UploadUsage }> {
  return db.transaction().execute(async (trx) => {
    // Two uploads of one user at once (on any nodes) would each see room for itself. SQLite needs no
    // lock: one process, whose one connection is this transaction's until it ends.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${UPLOAD_QUOTA_LOCK}::int, ${attachment.uploaderId}::int)`.execute(trx);
    const used = await uploadUsage(trx, attachment.uploaderId, quota.since);
    if (used.bytes + attachment.size > quota.maxBytes) return { refused: used };
    return { stored: await createAttachment(trx, attachment) };
  });
}
