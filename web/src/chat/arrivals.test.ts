import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { arrivalAnnouncement, arrivalsSince, awaitsMissed, sayArrivals, tallyArrivals, withoutReadRooms } from './arrivals.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

const ann: User = { id: 3, username: 'support1', displayName: 'Ann Support', role: 'support' };
const pdf = { id: 9, name: 'invoice.pdf', mime: 'application/pdf', size: 10, url: '/api/attachments/9' };

describe('arrivalsSince', () => {
  const held = [message(1, 1, bob), message(1, 2, alice), message(1, 3, bob), message(1, 4, null), message(1, 5, bob, { deletedAt: '2026-11-25T11:00:00.000Z' })];

  it('takes the messages after the seq, up to the newest, from others only (no system lines, nothing deleted)', () => {
    expect(arrivalsSince(held, 1, held[4]!, alice.id).map((m) => m.seq)).toEqual([3]);
    expect(arrivalsSince(held, 3, held[4]!, alice.id)).toEqual([]);
  });

  it('falls back to the newest message when the loaded window does not hold it', () => {
    const newest = message(1, 9, bob);
    expect(arrivalsSince(held, 5, newest, alice.id)).toEqual([newest]);
    expect(arrivalsSince(held, 5, message(1, 9, alice), alice.id)).toEqual([]);
  });
});

describe('arrivalAnnouncement', () => {
  it('says one message with its sender and its text on one line, cut', () => {
    expect(arrivalAnnouncement([message(1, 3, bob, { content: 'Running\n late' })])).toBe('New message from Bob Cleaner: Running late');
    const long = arrivalAnnouncement([message(1, 3, bob, { content: 'word '.repeat(100) })]) ?? '';
    expect(long.length).toBeLessThanOrEqual('New message from Bob Cleaner: '.length + 100);
    expect(long.endsWith('…')).toBe(true);
    // Cut before an emoji that does not fit whole, not through it.
    const emoji = arrivalAnnouncement([message(1, 3, bob, { content: `${'a'.repeat(98)}😀😀` })]) ?? '';
    expect(emoji).toBe(`New message from Bob Cleaner: ${'a'.repeat(98)}…`);
    expect(emoji.isWellFormed()).toBe(true);
  });

  it('says a file by its name', () => {
    expect(arrivalAnnouncement([message(1, 3, bob, { content: '', attachment: pdf })])).toBe('New message from Bob Cleaner: a file, invoice.pdf');
    expect(arrivalAnnouncement([message(1, 3, bob, { content: 'Here', attachment: pdf })])).toBe('New message from Bob Cleaner: Here (with a file, invoice.pdf)');
  });

  it('counts several, naming the sender when there is one', () => {
    expect(arrivalAnnouncement([message(1, 3, bob), message(1, 4, bob)])).toBe('2 new messages from Bob Cleaner');
    expect(arrivalAnnouncement([message(1, 3, bob), message(1, 4, ann)])).toBe('2 new messages');
    expect(arrivalAnnouncement([])).toBeNull();
  });
});

describe('awaitsMissed', () => {
  const newest = message(1, 15, bob);

  it('waits while the window does not hold the newest a reconnect named, even one that held nothing yet', () => {
    // The client library fetches every room's gap, and the fetched messages are held as live ones are.
    expect(awaitsMissed(14, newest)).toBe(true);
    expect(awaitsMissed(0, newest)).toBe(true);
  });

  it('does not wait once the newest is held', () => {
    expect(awaitsMissed(15, newest)).toBe(false);
  });
});

describe('tallyArrivals', () => {
  it('keeps a count per room, not the messages, and says them as one burst ending with the newest room', () => {
    let tally = tallyArrivals(null, []);
    for (let seq = 1; seq <= 20_000; seq += 1) tally = tallyArrivals(tally, [message(seq % 2 === 0 ? 1 : 2, seq, bob)]);
    expect([...tally.rooms.keys()]).toEqual([2, 1]);
    expect(tally.rooms.get(1)?.count).toBe(10_000);
    expect(sayArrivals(tally)).toBe('20000 new messages from Bob Cleaner');
    expect(sayArrivals(tallyArrivals(tally, [message(2, 20_001, ann)]))).toBe('20001 new messages');
  });

  it('leaves out the rooms read since up to their last arrival, and is null when none is left', () => {
    const tally = tallyArrivals(null, [message(1, 3, bob, { content: 'One' }), message(2, 7, bob, { content: 'Two' })]);
    const read = (seq: number) => [participant(alice, { lastReadSeq: seq }), participant(bob)];
    const state = { me: alice, rooms: { 1: room(1, { lastSeq: 3, participants: read(3) }), 2: room(2, { lastSeq: 7, participants: read(6) }) } };
    const left = withoutReadRooms(tally, state);
    expect(left && sayArrivals(left)).toBe('New message from Bob Cleaner: Two');
    expect(withoutReadRooms(tallyArrivals(null, [message(1, 3, bob)]), state)).toBeNull();
  });
});
