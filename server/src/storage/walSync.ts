/**
 * The WAL's sync off the event loop, for the send path. With
 * synchronous=FULL SQLite syncs the WAL inside COMMIT, on the thread that
 * commits: the event loop slept there for the disk (0.5–1 ms a batch here,
 * ~10 % of the loop at 10,000 messages/s) while frames waited unread.
 * Instead a send batch commits without SQLite's sync and then waits here,
 * asynchronously, for an fdatasync of the WAL file on libuv's thread pool;
 * only then are its senders acked and its messages delivered, so an `ack`
 * still means "on disk".
 *
 * Why this is as durable as FULL: fdatasync through any descriptor writes
 * out the file's dirty pages, i.e. every frame committed before it began;
 * frames a checkpoint already copied into the database file were synced
 * there by the checkpoint (it syncs the WAL before copying and the database
 * after), and SQLite syncs a restarted WAL's header itself in either mode.
 * A power cut before the sync can lose the batch, which was not acked: its
 * senders retry with the same clientId.
 *
 * Group commit for the sync too: a caller that arrives while a sync runs
 * (which may have begun before its commit) shares the next one.
 *
 * A failed sync is final: the kernel may have dropped pages it could not
 * write, so no later sync can prove earlier commits durable. Every sync from
 * then on fails (senders get INTERNAL, nothing is acked; /healthz answers
 * 503) until the node is restarted and SQLite recovers the WAL from what is
 * really on disk, as PostgreSQL stops on a failed fsync.
 */
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

export class WalSync {
  private file: FileHandle | null = null;
  private running: Promise<void> | null = null;
  /** The sync that starts when the running one ends; shared by everyone who asked meanwhile. */
  private queued: Promise<void> | null = null;
  private failure: Error | null = null;
  private closed = false;

  constructor(private readonly walFile: string) {}

  /** Why syncs fail for good, or null (the store's ping reports it, so /healthz takes the node out). */
  get failed(): Error | null {
    return this.failure;
  }

  /** Resolves once every commit made before the call is on disk. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    this.queued = this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  /** Waits for the syncs asked for, then lets the file go (the store is closing). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.running, this.queued]);
    await this.file?.close();
    this.file = null;
  }

  /** The disk's part (a test slows it down to see who waits for whom). */
  protected datasync(file: FileHandle): Promise<void> {
    return file.datasync();
  }

  private startQueued(): Promise<void> {
    this.queued = null;
    return this.start();
  }

  private start(): Promise<void> {
    const run = this.syncOnce().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  private async syncOnce(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error('the SQLite store is closed');
    try {
      if (!this.file) {
        this.file = await open(this.walFile, 'r');
        // The WAL's name in its directory must be on disk too, once (SQLite's own first sync does this).
        const dir = await open(path.dirname(this.walFile), 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      }
      await this.datasync(this.file);
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err));
      throw this.failure;
    }
  }
}
