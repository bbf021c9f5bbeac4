import { afterEach, describe, expect, it } from 'vitest';
import { ResyncGrace } from './resyncGrace.ts';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ResyncGrace', () => {
  const expired: [number, number[], string][] = [];
  let grace: ResyncGrace;
  afterEach(() => {
    grace.stop();
    expired.length = 0;
  });
  const make = (graceMs: number) => (grace = new ResyncGrace((userId, peers, at) => expired.push([userId, [...peers], at]), graceMs));

  it('holds the offline of a user whose sockets are closed to resync, and drops it when they come back', async () => {
    make(40);
    grace.expectBack([1, 2], 0);
    expect(grace.holdOffline(1, new Set([10]), 't1')).toBe(true);
    expect(grace.holdOffline(2, new Set([20]), 't2')).toBe(true);
    expect(grace.cameBack(1)).toBe(true);
    await later(80);
    expect(expired).toEqual([[2, [20], 't2']]);
    // Held once: a later offline of the same user is told as usual.
    expect(grace.holdOffline(2, new Set([20]), 't3')).toBe(false);
  });

  it('still holds the offline of a user told online before their sockets here closed', () => {
    make(60_000);
    grace.expectBack([6], 0);
    expect(grace.cameBack(6)).toBe(false);
    expect(grace.holdOffline(6, new Set([60]), 't6')).toBe(true);
    expect(grace.cameBack(6)).toBe(true);
  });

  it('does not hold the offline of users not being resynced, nor one past the spread and grace', async () => {
    make(10);
    grace.expectBack([3], 0);
    expect(grace.holdOffline(4, new Set(), 't')).toBe(false);
    expect(grace.cameBack(4)).toBe(false);
    await later(30);
    expect(grace.holdOffline(3, new Set(), 't')).toBe(false);
    expect(expired).toEqual([]);
  });

  it('judges every held offline at once when the node stops', () => {
    make(60_000);
    grace.expectBack([5], 0);
    grace.holdOffline(5, new Set([50]), 't5');
    grace.stop();
    expect(expired).toEqual([[5, [50], 't5']]);
  });
});
