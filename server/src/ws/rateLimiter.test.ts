import { describe, expect, it } from 'vitest';
import { FixedWindowCounter, SlidingWindowLimiter } from './rateLimiter.ts';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` events per window per key and frees them as the window slides', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(3, 1000, () => now);
    expect([1, 2, 3, 4].map(() => limiter.tryTake(7))).toEqual([true, true, true, false]);
    expect(limiter.tryTake(8)).toBe(true);
    now = 999;
    expect(limiter.tryTake(7)).toBe(false);
    now = 1000;
    expect(limiter.tryTake(7)).toBe(true);
    expect(limiter.tryTake(7)).toBe(true);
    expect(limiter.tryTake(7)).toBe(true);
    expect(limiter.tryTake(7)).toBe(false);
  });
});

describe('FixedWindowCounter', () => {
  it('allows `limit` events per key in a window, refuses the next without counting it, and starts over in the next window', () => {
    let now = 1_000;
    const opens = new FixedWindowCounter(2, 60_000, () => now);
    expect([opens.tryTake(7), opens.tryTake(7), opens.tryTake(7)]).toEqual([true, true, false]);
    expect(opens.tryTake(8)).toBe(true); // per key
    now += 59_999;
    expect(opens.tryTake(7)).toBe(false);
    now += 1;
    expect([opens.tryTake(7), opens.tryTake(7), opens.tryTake(7)]).toEqual([true, true, false]);
  });
});
