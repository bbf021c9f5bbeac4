import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeepAliveRounds } from './keepAlive.ts';

/** A socket that records when it was pinged. */
class FakeSocket {
  readonly pingedAt: number[] = [];
  keepAlive(): void {
    this.pingedAt.push(Date.now());
  }
}

const sockets = (n: number) => Array.from({ length: n }, () => new FakeSocket());

describe('KeepAliveRounds', () => {
  let rounds: KeepAliveRounds<FakeSocket> | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    rounds?.stop();
    vi.useRealTimers();
  });

  it('pings every socket once per interval, a slice of them each second instead of all at once', () => {
    rounds = new KeepAliveRounds<FakeSocket>(25_000);
    const all = sockets(100);
    for (const s of all) rounds.add(s);

    vi.advanceTimersByTime(1000);
    expect(all.filter((s) => s.pingedAt.length > 0)).toHaveLength(4);
    vi.advanceTimersByTime(24_000);
    expect(all.map((s) => s.pingedAt.length)).toEqual(all.map(() => 1));
    vi.advanceTimersByTime(25_000);
    // Exactly one interval between a socket's pings.
    for (const s of all) expect(s.pingedAt[1]! - s.pingedAt[0]!).toBe(25_000);
  });

  it('keeps each socket on its own beat while others come and go, and stops pinging one that left', () => {
    rounds = new KeepAliveRounds<FakeSocket>(25_000);
    const start = Date.now();
    const first = sockets(30);
    for (const s of first) rounds.add(s);
    vi.advanceTimersByTime(12_500);
    const gone = first.slice(0, 10);
    for (const s of gone) rounds.delete(s);
    const later = sockets(30);
    for (const s of later) rounds.add(s);
    vi.advanceTimersByTime(75_000);

    for (const s of [...first.slice(10), ...later]) {
      const gaps = s.pingedAt.slice(1).map((t, i) => t - (s.pingedAt[i] as number));
      expect(s.pingedAt.length).toBeGreaterThanOrEqual(3);
      expect(new Set(gaps)).toEqual(new Set([25_000]));
    }
    for (const s of gone) expect(s.pingedAt.every((t) => t - start <= 12_500)).toBe(true);
  });

  it('pings everyone each time when the interval is shorter than a slice', () => {
    rounds = new KeepAliveRounds<FakeSocket>(100);
    const all = sockets(5);
    for (const s of all) rounds.add(s);
    const start = Date.now();
    vi.advanceTimersByTime(300);
    for (const s of all) expect(s.pingedAt.map((t) => t - start)).toEqual([100, 200, 300]);
  });
});
