/**
 * Group commit for `read`: the reads that arrive while a batch commits (or
 * in the same tick as the first one) are moved by ONE `markReads` call, which
 * also answers each reader's unread counts after the batch — one round trip
 * and one transaction for many reads, where each read took two.
 *
 * One batch commits at a time: reads are about as frequent as messages, and
 * while a batch is in flight the next one fills up. Each read's promise
 * settles with its own outcome; a failed batch rejects every read in it (the
 * client is answered with an error and its next `read` moves the mark).
 */
import type { MarkedRead, ReadMark, Store } from '../storage/store.ts';

interface PendingRead {
  mark: ReadMark;
  resolve(marked: MarkedRead): void;
  reject(err: unknown): void;
}

export interface ReadBatcherOptions {
  store: Store;
  /** Most reads moved by one transaction. */
  maxBatch: number;
}

export class ReadBatcher {
  private queue: PendingRead[] = [];
  private inFlight: Promise<void> | null = null;
  private scheduled = false;

  constructor(private readonly opts: ReadBatcherOptions) {}

  /** Moves one reader's mark in the next batch; settles with its outcome and counts. */
  mark(mark: ReadMark): Promise<MarkedRead> {
    return new Promise<MarkedRead>((resolve, reject) => {
      this.queue.push({ mark, resolve, reject });
      if (this.inFlight || this.scheduled) return;
      // The reads of this tick (a client often reads several rooms at once) go together.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.kick();
      });
    });
  }

  /** Resolves when every queued read has been answered (for shutdown and tests). */
  async drain(): Promise<void> {
    while (this.inFlight || this.queue.length > 0) {
      this.kick();
      await this.inFlight;
    }
  }

  private kick(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.opts.maxBatch);
    this.inFlight = this.flush(batch).finally(() => {
      this.inFlight = null;
      this.kick();
    });
  }

  private async flush(batch: PendingRead[]): Promise<void> {
    try {
      const marked = await this.opts.store.markReads(batch.map((read) => read.mark));
      batch.forEach((read, i) => {
        const outcome = marked[i];
        if (outcome) read.resolve(outcome);
        else read.reject(new Error('the store answered fewer read marks than it was given'));
      });
    } catch (err) {
      for (const read of batch) read.reject(err);
    }
  }
}
