/**
 * The file picked for a room's next message (drafts.ts): uploaded to the room at once, shown as
 * uploading, then ready to send or why not. An upload that failed for a passing reason (no
 * network, the server restarting) keeps its File: it goes up again by itself once the connection
 * is back, or on the chip's Retry, so the user need not pick it again.
 */
import { isTransient } from '@ecc/client';
import { ChatError, type Attachment } from '@ecc/protocol';
import { ATTACHMENT_RULES, attachmentProblem } from './attachments.ts';
import { describeError } from './describeError.ts';
import { draftOf, type ChatStore, type DraftAttachment } from './store.ts';
import type { AttachmentUploader } from './transport.ts';

/**
 * The share sent is shown anew at most this often: each change re-renders the chip and moves its
 * progress bar, which some screen readers read out.
 */
const PROGRESS_INTERVAL_MS = 250;

export class DraftUploads {
  private lastUploadId = 0;
  /** Stops an upload by its uploadId, while its body still goes up (nothing of it can be stored yet). */
  private readonly stoppable = new Map<number, () => void>();

  constructor(
    private readonly store: ChatStore,
    private readonly uploader: AttachmentUploader | null,
  ) {}

  /**
   * Uploads a picked file to the room at once. Picking another file or removing this one makes a
   * late answer for it be ignored.
   */
  async attach(roomId: number, file: File): Promise<void> {
    this.discardCurrent(roomId);
    const uploadId = ++this.lastUploadId;
    const base = { uploadId, name: file.name, size: file.size, uploaded: null, retryFile: null, progress: null };
    const uploader = this.uploader;
    const set = (attachment: DraftAttachment) => this.set(roomId, attachment);
    const problem = attachmentProblem(file) ?? (uploader ? null : 'Attachments are not available here');
    if (problem || !uploader) return set({ ...base, status: 'failed', error: problem });
    set({ ...base, status: 'uploading', error: null });
    const abort = new AbortController();
    this.stoppable.set(uploadId, () => abort.abort());
    const onProgress = this.progressShown(roomId, uploadId);
    try {
      const uploaded = await uploader.uploadAttachment(roomId, file, file.name, { signal: abort.signal, onProgress });
      // The name the server stored (made safe: no quotes, no line breaks) is the one the sent message shows.
      if (this.isCurrent(roomId, uploadId)) set({ ...base, name: uploaded.name, status: 'ready', uploaded, error: null });
      else this.discard(uploaded.id);
    } catch (err) {
      if (!this.isCurrent(roomId, uploadId)) return;
      const refused = err instanceof ChatError && (err.code === 'TOO_LARGE' || err.code === 'UNSUPPORTED_MEDIA_TYPE');
      // Refused, forbidden or in a closed room, the same file would fail again.
      const passing = !(err instanceof ChatError) || isTransient(err.code);
      const error = refused ? ATTACHMENT_RULES : `Could not upload the file: ${describeError(err)}`;
      set({ ...base, status: 'failed', error, retryFile: passing ? file : null });
    } finally {
      this.stoppable.delete(uploadId);
    }
  }

  /** Shows on the chip how much of upload `uploadId` has gone: each whole percent, not too often, and all of it at once. */
  private progressShown(roomId: number, uploadId: number): (sent: number, total: number) => void {
    let shownAt = -Infinity;
    return (sent, total) => {
      // All sent, the server may store it: removed now, it is let finish and then deleted (its answer is not current).
      if (sent >= total) this.stoppable.delete(uploadId);
      const held = draftOf(this.store.getState(), roomId).attachment;
      const percent = Math.min(100, Math.floor((sent / total) * 100));
      if (held?.uploadId !== uploadId || held.status !== 'uploading' || held.progress === percent) return;
      const now = Date.now();
      if (percent < 100 && now - shownAt < PROGRESS_INTERVAL_MS) return;
      shownAt = now;
      this.set(roomId, { ...held, progress: percent });
    };
  }

  /**
   * Attaches the first of files dropped or pasted together: a message carries one file, and the
   * others are said not to be attached rather than left out unseen.
   */
  attachAll(roomId: number, files: readonly File[]): void {
    const [first, ...others] = files;
    if (!first) return;
    void this.attach(roomId, first);
    if (others.length === 0) return;
    const rest = others.length === 1 ? `${others[0]?.name} is not` : `the other ${others.length} are not`;
    const text = `One file per message: ${first.name} is attached, ${rest}.`;
    // Said of this pick: it goes once the file is removed, replaced or sent, or the room is left (fileNotice.ts).
    const uploadId = draftOf(this.store.getState(), roomId).attachment?.uploadId;
    this.store.dispatch({ type: 'notice', text, about: uploadId === undefined ? undefined : { roomId, uploadId } });
  }

  /** Uploads again the room's file whose upload failed for a passing reason. */
  retry(roomId: number): void {
    const file = draftOf(this.store.getState(), roomId).attachment?.retryFile;
    if (file) void this.attach(roomId, file);
  }

  /** The connection is back: every such failed upload goes up again. */
  retryFailed(): void {
    for (const [roomId, draft] of Object.entries(this.store.getState().drafts)) {
      if (draft.attachment?.retryFile) this.retry(Number(roomId));
    }
  }

  /** Takes the picked file off the room's draft (an upload still running is then ignored). */
  remove(roomId: number): void {
    this.discardCurrent(roomId);
    this.set(roomId, null);
  }

  /** Puts back a file uploaded before a reload of the tab. */
  restore(roomId: number, uploaded: Attachment): void {
    this.set(roomId, { uploadId: ++this.lastUploadId, name: uploaded.name, size: uploaded.size, status: 'ready', uploaded, error: null, retryFile: null, progress: null });
  }

  /** The file of a message thrown away unsent (unsentMessages.ts): deleted on the server as a draft's is. */
  release(file: Attachment): void {
    this.discard(file.id);
  }

  /**
   * A file taken off the draft (removed, or replaced by another pick) is deleted on the server:
   * it was uploaded when picked, and the room must not find it; one still going up is stopped. Never
   * called for a file sent: sending clears the draft elsewhere, and the server keeps a sent file anyway (409).
   */
  private discardCurrent(roomId: number): void {
    const attachment = draftOf(this.store.getState(), roomId).attachment;
    if (attachment?.uploaded) this.discard(attachment.uploaded.id);
    else if (attachment) this.stoppable.get(attachment.uploadId)?.();
  }

  private discard(id: number): void {
    // Best effort: one not taken back (offline) is removed by the server's cap on unsent uploads.
    this.uploader?.discardAttachment(id).catch(() => {});
  }

  private set(roomId: number, attachment: DraftAttachment | null): void {
    this.store.dispatch({ type: 'draft_attachment', roomId, attachment });
  }

  private isCurrent(roomId: number, uploadId: number): boolean {
    return draftOf(this.store.getState(), roomId).attachment?.uploadId === uploadId;
  }
}
