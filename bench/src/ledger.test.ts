import { describe, expect, it } from 'vitest';
import { addTotals, clientIdOf, EMPTY_TOTALS, parseClientId, ReceiverLedger, SenderLedger } from './ledger.ts';

const participants = new Map<number, number[]>([
  [10, [1, 2]],
  [20, [1, 3]],
]);
const participantsOf = (roomId: number): number[] => participants.get(roomId) ?? [];

describe('clientId numbering', () => {
  it('round-trips and ignores other runs and foreign ids', () => {
    const id = clientIdOf('r1x', 7, 42, 13);
    expect(parseClientId('r1x', id)).toEqual({ senderId: 7, roomId: 42, n: 13 });
    expect(parseClientId('r2x', id)).toBeNull();
    expect(parseClientId('r1x', null)).toBeNull();
    expect(parseClientId('r1x', 'h.r1x.7.42')).toBeNull();
    expect(parseClientId('r1x', 'h.r1x.a.b.c')).toBeNull();
  });

  it('starts with a time-ordered head, so later messages sort after earlier ones', () => {
    const ids = Array.from({ length: 50 }, (_, i) => clientIdOf('r1x', 4000 - i, 1 + i, 1));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}\.r1x\.4000\.1\.1$/);
  });
});

describe('loss and duplicate accounting', () => {
  it('counts nothing lost when every acked message reached every other participant once', () => {
    const sender = new SenderLedger();
    const receiver = new ReceiverLedger();
    for (let i = 0; i < 3; i += 1) {
      const n = sender.next(10, 1);
      sender.ack(10, 1, n);
      receiver.receive(2, 10, 1, n, i + 1);
    }
    const totals = receiver.settle(sender.report(), participantsOf, new Set([2]));
    expect(totals).toEqual({ ...EMPTY_TOTALS, expected: 3, delivered: 3 });
  });

  it('finds a lost message, a duplicate and an out-of-order seq', () => {
    const sender = new SenderLedger();
    const receiver = new ReceiverLedger();
    for (let i = 0; i < 4; i += 1) sender.ack(10, 1, sender.next(10, 1));
    receiver.receive(2, 10, 1, 1, 1);
    receiver.receive(2, 10, 1, 2, 3);
    receiver.receive(2, 10, 1, 2, 3); // the same message again
    receiver.receive(2, 10, 1, 4, 2); // seq went backwards
    const totals = receiver.settle(sender.report(), participantsOf, new Set([2]));
    expect(totals.expected).toBe(4);
    expect(totals.delivered).toBe(3);
    expect(totals.lost).toBe(1);
    expect(totals.duplicates).toBe(1);
    expect(totals.outOfOrder).toBe(2);
  });

  it('does not count an unacked message as owed, but notes when it arrived anyway', () => {
    const sender = new SenderLedger();
    const receiver = new ReceiverLedger();
    const first = sender.next(20, 1);
    sender.next(20, 1); // never acked, never delivered
    const third = sender.next(20, 1); // never acked, delivered
    sender.ack(20, 1, first);
    receiver.receive(3, 20, 1, first, 1);
    receiver.receive(3, 20, 1, third, 2);
    expect(sender.pendingCount).toBe(2);
    const totals = receiver.settle(sender.report(), participantsOf, new Set([3]));
    expect(totals).toEqual({ ...EMPTY_TOTALS, expected: 1, delivered: 1, deliveredUnacked: 1 });
  });

  it('settles only local recipients, and the sums over generators add up', () => {
    const sender = new SenderLedger();
    sender.ack(10, 1, sender.next(10, 1));
    sender.ack(20, 1, sender.next(20, 1));
    const generatorA = new ReceiverLedger();
    const generatorB = new ReceiverLedger();
    generatorA.receive(2, 10, 1, 1, 1);
    const a = generatorA.settle(sender.report(), participantsOf, new Set([2]));
    const b = generatorB.settle(sender.report(), participantsOf, new Set([3]));
    expect(a).toEqual({ ...EMPTY_TOTALS, expected: 1, delivered: 1 });
    expect(b).toEqual({ ...EMPTY_TOTALS, expected: 1, lost: 1 });
    expect(addTotals(a, b)).toEqual({ ...EMPTY_TOTALS, expected: 2, delivered: 1, lost: 1 });
  });

  it('refuses an ack for a message that was never sent or already acked', () => {
    const sender = new SenderLedger();
    const n = sender.next(10, 1);
    expect(sender.ack(10, 1, n)).toBe(true);
    expect(sender.ack(10, 1, n)).toBe(false);
    expect(sender.ack(10, 1, 99)).toBe(false);
  });
});
