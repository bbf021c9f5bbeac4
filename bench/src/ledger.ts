/**
 * Loss and duplicate accounting, kept apart from the sockets so it can be
 * tested alone.
 *
 * Every message the generator sends is numbered per (room, sender): its
 * clientId is `<time>.<runTag>.<senderId>.<roomId>.<n>` with n = 1, 2, 3 ... The
 * sending side remembers which numbers were acked; the receiving side
 * remembers which numbers each recipient saw. After a run the orchestrator
 * hands every generator the senders' reports and each generator settles its
 * recipients: an acked message a participant never got is lost, one it got
 * twice is a duplicate. Numbers per key make the comparison exact without
 * shipping every clientId between processes.
 */
import { z } from 'zod';
import { newClientId } from '@ecc/client';

export const SenderReport = z.object({
  roomId: z.number().int(),
  senderId: z.number().int(),
  /** Messages numbered 1..sent were sent. */
  sent: z.number().int().nonnegative(),
  /** Numbers whose ack never came (an error frame, or still pending at the end). */
  unacked: z.array(z.number().int()),
});
export type SenderReport = z.infer<typeof SenderReport>;

export const DeliveryTotals = z.object({
  /** Acked messages times their recipients (the deliveries owed). */
  expected: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  lost: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** Messages a recipient got although the sender saw no ack (not a failure; e.g. ack in flight at the end). */
  deliveredUnacked: z.number().int().nonnegative(),
  /** A recipient saw a room's seq go backwards or repeat. */
  outOfOrder: z.number().int().nonnegative(),
});
export type DeliveryTotals = z.infer<typeof DeliveryTotals>;

/**
 * Builds the clientId of message `n` of a sender in a room. It starts with the
 * time-ordered head of the client library's UUIDv7 key (its milliseconds and
 * counter), as a real client's clientIds are ordered by time: the server's
 * idempotency index is laid out for that (migration 007).
 */
export function clientIdOf(runTag: string, senderId: number, roomId: number, n: number, head = timeHead()): string {
  return `${head}.${runTag}.${senderId}.${roomId}.${n}`;
}

/** `xxxxxxxx-xxxx-7xxx`: a fresh UUIDv7's 48-bit milliseconds, version and 12-bit counter. */
export function timeHead(): string {
  return newClientId().slice(0, 18);
}

/** Reads back a clientId made by `clientIdOf`; null for anything else (e.g. an earlier run's tag). */
export function parseClientId(
  runTag: string,
  clientId: string | null,
): { senderId: number; roomId: number; n: number } | null {
  const parts = clientId?.split('.');
  if (parts?.length !== 5 || parts[1] !== runTag) return null;
  const [senderId, roomId, n] = parts.slice(2).map(Number);
  if (!Number.isInteger(senderId) || !Number.isInteger(roomId) || !Number.isInteger(n)) return null;
  return { senderId: senderId as number, roomId: roomId as number, n: n as number };
}

/** The sending side: numbers each message and tracks which are still unacked. */
export class SenderLedger {
  private readonly sent = new Map<string, { roomId: number; senderId: number; count: number; pending: Set<number> }>();

  /** Reserves the next number for a message of `senderId` in `roomId`. */
  next(roomId: number, senderId: number): number {
    const key = `${roomId}:${senderId}`;
    let entry = this.sent.get(key);
    if (!entry) {
      entry = { roomId, senderId, count: 0, pending: new Set() };
      this.sent.set(key, entry);
    }
    entry.count += 1;
    entry.pending.add(entry.count);
    return entry.count;
  }

  /** Marks a message acked; false when it was not pending (an ack twice, or unknown). */
  ack(roomId: number, senderId: number, n: number): boolean {
    return this.sent.get(`${roomId}:${senderId}`)?.pending.delete(n) ?? false;
  }

  get pendingCount(): number {
    let pending = 0;
    for (const entry of this.sent.values()) pending += entry.pending.size;
    return pending;
  }

  report(): SenderReport[] {
    return [...this.sent.values()].map((e) => ({
      roomId: e.roomId,
      senderId: e.senderId,
      sent: e.count,
      unacked: [...e.pending],
    }));
  }
}

/** The receiving side: which numbers each local recipient saw, and in what seq order. */
export class ReceiverLedger {
  private readonly seen = new Map<string, Set<number>>();
  private readonly lastSeq = new Map<string, number>();
  private duplicates = 0;
  private outOfOrder = 0;

  /** Records one `message` frame; returns false when the recipient already had it. */
  receive(recipientId: number, roomId: number, senderId: number, n: number, seq: number): boolean {
    const roomKey = `${recipientId}:${roomId}`;
    const previousSeq = this.lastSeq.get(roomKey) ?? 0;
    if (seq <= previousSeq) this.outOfOrder += 1;
    else this.lastSeq.set(roomKey, seq);

    const key = `${roomKey}:${senderId}`;
    let numbers = this.seen.get(key);
    if (!numbers) {
      numbers = new Set();
      this.seen.set(key, numbers);
    }
    if (numbers.has(n)) {
      this.duplicates += 1;
      return false;
    }
    numbers.add(n);
    return true;
  }

  /**
   * Compares what the local recipients saw with what the senders report.
   * `participantsOf` gives every participant of a room; only the ones in
   * `localRecipients` are settled here (other generators settle theirs).
   */
  settle(
    reports: readonly SenderReport[],
    participantsOf: (roomId: number) => readonly number[],
    localRecipients: ReadonlySet<number>,
  ): DeliveryTotals {
    const totals: DeliveryTotals = {
      expected: 0,
      delivered: 0,
      lost: 0,
      duplicates: this.duplicates,
      deliveredUnacked: 0,
      outOfOrder: this.outOfOrder,
    };
    for (const report of reports) {
      const unacked = new Set(report.unacked);
      for (const recipientId of participantsOf(report.roomId)) {
        if (recipientId === report.senderId || !localRecipients.has(recipientId)) continue;
        const numbers = this.seen.get(`${recipientId}:${report.roomId}:${report.senderId}`);
        for (let n = 1; n <= report.sent; n += 1) {
          const got = numbers?.has(n) ?? false;
          if (unacked.has(n)) {
            if (got) totals.deliveredUnacked += 1;
            continue;
          }
          totals.expected += 1;
          if (got) totals.delivered += 1;
          else totals.lost += 1;
        }
      }
    }
    return totals;
  }
}

/** Field-by-field sum of two records of counts (what several generators counted). */
export function addCounts<T extends Record<keyof T, number>>(a: T, b: T): T {
  const sum = { ...a };
  for (const key of Object.keys(b) as (keyof T)[]) sum[key] = (a[key] + b[key]) as T[keyof T];
  return sum;
}

/** Sums the totals of several generators. */
export const addTotals = (a: DeliveryTotals, b: DeliveryTotals): DeliveryTotals => addCounts(a, b);

export const EMPTY_TOTALS: DeliveryTotals = {
  expected: 0,
  delivered: 0,
  lost: 0,
  duplicates: 0,
  deliveredUnacked: 0,
  outOfOrder: 0,
};
