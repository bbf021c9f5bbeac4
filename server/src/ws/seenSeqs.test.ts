import { describe, expect, it } from 'vitest';
import { SeenSeqs } from './seenSeqs.ts';

describe('SeenSeqs', () => {
  it('an ack ahead of lower seqs still to come does not stop those seqs from reaching the socket', () => {
    const seen = new SeenSeqs();
    seen.rememberRooms([{ id: 1, lastSeq: 5 }]);
    // The socket's own send is stored as 9 while another node's 6–8 are still on their way.
    seen.acked(1, 9);
    // The room sequencer releases 6–8 fetched for a gap, as redeliveries.
    expect([6, 7, 8].map((seq) => seen.admit(1, seq, true))).toEqual([true, true, true]);
    // The socket's own message is not sent to it again.
    expect(seen.admit(1, 9, true)).toBe(false);
    expect(seen.admit(1, 10, true)).toBe(true);
  });

  it('a redelivery of a seq the socket holds (by ready, message or a directly following ack) is not sent', () => {
    const seen = new SeenSeqs();
    seen.rememberRooms([{ id: 1, lastSeq: 3 }]);
    seen.acked(1, 4);
    expect(seen.admit(1, 5, false)).toBe(true);
    expect([2, 3, 4, 5].map((seq) => seen.admit(1, seq, true))).toEqual([false, false, false, false]);
  });

  it('keeps a bounded number of acked seqs above the highest one', () => {
    const seen = new SeenSeqs();
    seen.rememberRooms([{ id: 1, lastSeq: 1 }]);
    for (let seq = 3; seq < 3 + 200; seq++) seen.acked(1, seq);
    // The newest acked seqs are remembered; the oldest were forgotten (a duplicate, dropped by the client by seq).
    expect(seen.admit(1, 202, true)).toBe(false);
    expect(seen.admit(1, 3, true)).toBe(true);
  });
});
