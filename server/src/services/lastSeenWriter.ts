/**
 * Coalesces last-seen writes. When many users go offline together (a node
 * shutting down, a network blip) they are written in one transaction per
 * turn of the event loop instead of one per user; a flush waits for the
 * previous one, so a slow database gets larger batches, not a queue.
 */
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';

export class LastSeenWriter {
  private readonly waiting = new Set<number>();
  private nextFlush: Promise<Date> | null = null;
  private lastFlush: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Pick<Store, 'setLastSeen'>,
    private readonly logger: Logger,
  ) {}

  /**
   * Records that `userId` was last seen now; resolves with the time stored
   * (the same for everyone in the batch), which is what peers are told.
   */
  record(userId: number): Promise<Date> {
    this.waiting.add(userId);
    this.nextFlush ??= this.lastFlush.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => this.flush());
    return this.nextFlush;
  }

  /** Resolves once everything recorded so far is written (or failed and was logged). */
  async settled(): Promise<void> {
    await (this.nextFlush ?? this.lastFlush);
  }

  private async flush(): Promise<Date> {
    this.nextFlush = null;
    const userIds = [...this.waiting];
    this.waiting.clear();
    const at = new Date();
    const writing = this.store.setLastSeen(userIds, at).catch((err: unknown) => {
      // Presence is still announced: a missing last-seen time only shows as "offline" without a time.
      this.logger.error({ err, users: userIds.length }, 'could not record last seen');
    });
    this.lastFlush = writing;
    await writing;
    return at;
  }
}
