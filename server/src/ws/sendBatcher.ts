/**
 * Group commit for `send`: sends arriving within `windowMs` of the first one
 * (up to `maxBatch`) are stored by ONE `appendMessages` call, their
 * recipients' unread counts read by ONE `unreadFor` call; then each sender
 * gets its `ack` and each new message goes out once on its room topic.
 *
 * The window trades at most `windowMs` of latency for fewer, larger
 * transactions: a commit and its per-batch statements cost the same for one
 * message as for fifty.
 *
 * Up to `maxInFlight` batches commit at once (for a database across a
 * network, where a batch's few round trips leave the server waiting). Two
 * batches in flight never share a room, so a room's messages are numbered in
 * the order they arrived. What follows a commit (unread counts, acks,
 * delivery) runs one batch at a time in commit order, so the last `unread`
 * a user gets was read after every commit before it; meanwhile the next
 * batch may already commit (an `unread` can then count a message that
 * arrives right after it, never fewer than were sent before it).
 *
 * A failed commit answers every sender of the batch with an `error` (never
 * a false ack); clients retry with the same clientId, which the store dedups.
 * The sending socket's later sends to the room are then refused the same way
 * until the client knows of the failure (sendFence.ts), so a retry is never
 * stored after a message written after it.
 */
import { ChatError, type SendFrame, type ServerFrame } from '@ecc/protocol';
import { roomTopic, type UnreadEntry } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import type { NodeCounters } from '../metrics/counters.ts';
import { isRefusedValue } from '../storage/refusedValue.ts';
import type { AppendResult, Store } from '../storage/store.ts';
import type { SendOrder } from './handlers/types.ts';
import type { Hub } from './hub.ts';

/** One accepted `send`, already authorised and validated. */
export interface PendingSend {
  socketId: string;
  /** Answers the sending socket with an error. */
  reply(frame: ServerFrame): void;
  /** Answers the sending socket with its serialized `ack`, of the stored message `acked`. */
  replyText(text: string, acked: { roomId: number; seq: number }): void;
  senderId: number;
  frame: SendFrame;
  /** The room's participants other than the sender. */
  recipients: number[];
  /** Its place among the sending socket's sends to the room (absent: no order to keep). */
  order?: SendOrder | undefined;
}

const NOT_STORED = 'Message not stored; retry with the same clientId';

export interface SendBatcherOptions {
  store: Store;
  hub: Hub;
  logger: Logger;
  maxBatch: number;
  /** How long the first send of a batch waits for others (0: only those of the same tick). */
  windowMs: number;
  /** Batches committing at once (each on rooms no other one holds). */
  maxInFlight: number;
  /** Counts stored messages and committed batches for GET /metrics (absent in unit tests). */
  counters?: Pick<NodeCounters, 'messagesStored' | 'sendBatches'>;
}

export class SendBatcher {
  private queue: PendingSend[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Rooms of the batches in flight: their later sends wait, so seqs follow arrival order. */
  private readonly busyRooms = new Set<number>();
  /** The post-commit stage, one batch at a time in commit order. */
  private publishing: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(private readonly opts: SendBatcherOptions) {}

  enqueue(send: PendingSend): void {
    this.queue.push(send);
    if (this.inFlight.size >= this.opts.maxInFlight) return;
    if (this.queue.length >= this.opts.maxBatch) {
      this.kick();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const fire = () => {
      this.scheduled = false;
      this.kick();
    };
    if (this.opts.windowMs > 0) setTimeout(fire, this.opts.windowMs);
    else setImmediate(fire);
  }

  /** Resolves when every queued send has been answered (for shutdown and tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      this.kick();
      await Promise.all(this.inFlight);
    }
    await this.publishing;
  }

  private kick(): void {
    while (this.inFlight.size < this.opts.maxInFlight && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const rooms = new Set(batch.map((s) => s.frame.roomId));
      for (const roomId of rooms) this.busyRooms.add(roomId);
      const done: Promise<void> = this.flush(batch).finally(() => {
        for (const roomId of rooms) this.busyRooms.delete(roomId);
        this.inFlight.delete(done);
        this.kick();
      });
      this.inFlight.add(done);
    }
  }

  /** The oldest sends (up to maxBatch) of rooms no batch in flight holds; the rest keep their order in the queue. */
  private takeBatch(): PendingSend[] {
    const batch: PendingSend[] = [];
    const rest: PendingSend[] = [];
    for (const send of this.queue) {
      if (batch.length < this.opts.maxBatch && !this.busyRooms.has(send.frame.roomId)) batch.push(send);
      else rest.push(send);
    }
    this.queue = rest;
    return batch;
  }

  private async flush(sends: PendingSend[]): Promise<void> {
    const { store, logger } = this.opts;
    const batch: PendingSend[] = [];
    for (const send of sends) {
      // Behind a failed send of the same socket and room: refused as it was, so the client resends both in order.
      if (send.order?.held()) send.reply(notStored(send, 'An earlier message to this room was not stored; retry in order'));
      else batch.push(send);
    }
    if (batch.length === 0) return;
    let results: AppendResult[];
    try {
      results = await store.appendMessages(
        batch.map((s) => ({
          roomId: s.frame.roomId,
          senderId: s.senderId,
          type: 'text' as const,
          content: s.frame.content,
          clientId: s.frame.clientId,
          replyToId: s.frame.replyToId ?? null,
          attachmentId: s.frame.attachmentId ?? null,
        })),
      );
    } catch (err) {
      logger.error({ err, batch: batch.length }, 'storing a batch of messages failed');
      if (batch.length > 1 && isRefusedValue(err)) {
        // One send the database refuses must not fail the others: each is stored on its own.
        for (const send of batch) await this.flush([send]);
        return;
      }
      for (const s of batch) {
        s.reply(notStored(s));
        s.order?.failed();
      }
      return;
    }
    if (this.opts.counters) this.opts.counters.sendBatches += 1;
    // Never rejects: one batch's failure must not stop the stage for the next ones.
    const before = this.publishing;
    this.publishing = before
      .then(() => this.publish(batch, results))
      .catch((err: unknown) => logger.error({ err }, 'answering a stored batch failed'));
    // The slot is free once the batch before this one is answered: the next batch commits while
    // this one reads its unread counts and is delivered, and at most two committed batches wait.
    await before;
  }

  /** After the commit: unread counts, acks and delivery of one batch. */
  private async publish(batch: PendingSend[], results: AppendResult[]): Promise<void> {
    const unreadByIndex = await this.unreadCounts(batch, results);
    batch.forEach((send, i) => {
      const result = results[i];
      if (!result) {
        send.reply(notStored(send));
        send.order?.failed();
        return;
      }
      if (!result.ok) {
        send.reply(new ChatError(result.code, result.message).toFrame(send.frame.ref));
        return;
      }
      if (!result.duplicate && this.opts.counters) this.opts.counters.messagesStored += 1;
      // The message is serialized once, for the sender's ack and for every local recipient.
      const messageJson = JSON.stringify(result.message);
      send.replyText(ackText(send, messageJson), result.message);
      // A retry of a stored send is announced again, as a redelivery: if the node that stored it died
      // before announcing it, this is how the others get it; sockets that have it drop it (seenSeqs.ts).
      const frame = { type: 'message' as const, message: result.message };
      const unread = unreadByIndex.get(i) ?? [];
      const event = result.duplicate ? { kind: 'message' as const, frame, unread, redelivery: true } : { kind: 'message' as const, frame, unread };
      this.opts.hub.emit(roomTopic(result.message.roomId), event, send.socketId, `{"type":"message","message":${messageJson}}`);
    });
  }

  /**
   * Unread counts of every recipient of the batch in one query, each
   * attached to the LAST new message of that room in the batch (the counts
   * already include every message of the batch). In a room with no new
   * message in the batch, every redelivery carries its recipients' counts:
   * each reaches only the users who missed it (hub.ts).
   */
  private async unreadCounts(batch: PendingSend[], results: AppendResult[]): Promise<Map<number, UnreadEntry[]>> {
    const lastNew = new Map<string, number>();
    // Rare (retries of stored sends): filled only when the batch has some.
    const redelivered = new Map<string, number[]>();
    const pairs: { userId: number; roomId: number }[] = [];
    batch.forEach((send, i) => {
      const result = results[i];
      if (!result?.ok) return;
      const { roomId } = result.message;
      for (const userId of send.recipients) {
        const key = `${userId}:${roomId}`;
        if (!lastNew.has(key) && !redelivered.has(key)) pairs.push({ userId, roomId });
        if (!result.duplicate) lastNew.set(key, i);
        else if (redelivered.has(key)) redelivered.get(key)?.push(i);
        else redelivered.set(key, [i]);
      }
    });
    const byIndex = new Map<number, UnreadEntry[]>();
    if (pairs.length === 0) return byIndex;
    const attach = (index: number, entry: UnreadEntry) => {
      let list = byIndex.get(index);
      if (!list) byIndex.set(index, (list = []));
      list.push(entry);
    };
    try {
      for (const c of await this.opts.store.unreadFor(pairs)) {
        const { roomId, ...entry } = c; // the room is the event's
        const key = `${c.userId}:${roomId}`;
        const index = lastNew.get(key);
        if (index !== undefined) attach(index, entry);
        else for (const again of redelivered.get(key) ?? []) attach(again, entry);
      }
    } catch (err) {
      // The messages are stored and will be delivered; counts catch up on the next change or reconnect.
      this.opts.logger.error({ err }, 'reading unread counts for a batch failed');
    }
    return byIndex;
  }
}

/** The `error INTERNAL` of a send nothing was stored for. */
function notStored(send: PendingSend, why = NOT_STORED): ServerFrame {
  return new ChatError('INTERNAL', why).toFrame(send.frame.ref);
}

/** The `ack` frame as text around the message's JSON: `{type, ref?, clientId, message}`. */
function ackText(send: PendingSend, messageJson: string): string {
  const ref = send.frame.ref === undefined ? '' : `"ref":${JSON.stringify(send.frame.ref)},`;
  return `{"type":"ack",${ref}"clientId":${JSON.stringify(send.frame.clientId)},"message":${messageJson}}`;
}
