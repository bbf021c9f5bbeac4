/**
 * How many bytes of uploads a user may store per window (UPLOAD_QUOTA_BYTES per UPLOAD_QUOTA_WINDOW_MS,
 * 200 MiB a day by default). Each upload is at most MAX_ATTACHMENT_BYTES and at most MAX_UNSENT_UPLOADS
 * wait unsent, but a message carries its upload away from that count and sends allow 3 a second: without
 * this, one account could store 30 MiB a second for as long as the disk lasts.
 */
import { RetryAfterError } from '../http/respond.ts';
import type { UploadQuota, UploadUsage } from '../storage/store.ts';

export interface UploadQuotaLimits {
  uploadQuotaBytes: number;
  uploadQuotaWindowMs: number;
}

/** The quota as of `now`: uploads made since the start of the window count. */
export function uploadQuotaAt(limits: UploadQuotaLimits, now: Date): UploadQuota {
  return { since: new Date(now.getTime() - limits.uploadQuotaWindowMs), maxBytes: limits.uploadQuotaBytes };
}

/**
 * RATE_LIMITED (429): the quota is a pace, not a size the file could shrink below (413 would say so).
 * Retry-After is when the oldest counted upload stops counting: the earliest the answer can change.
 */
export function quotaExceeded(limits: UploadQuotaLimits, used: UploadUsage, now: Date): RetryAfterError {
  const freesAt = (used.oldestAt?.getTime() ?? now.getTime()) + limits.uploadQuotaWindowMs;
  return new RetryAfterError(
    `You can upload at most ${formatMiB(limits.uploadQuotaBytes)} per ${formatWindow(limits.uploadQuotaWindowMs)}; try again later`,
    Math.max(1, (freesAt - now.getTime()) / 1000),
  );
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Number(mib.toFixed(1))} MiB` : `${bytes} bytes`;
}

function formatWindow(ms: number): string {
  if (ms === 24 * 3_600_000) return 'day';
  if (ms === 3_600_000) return 'hour';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hours`;
  return `${Math.ceil(ms / 1000)} seconds`;
}
