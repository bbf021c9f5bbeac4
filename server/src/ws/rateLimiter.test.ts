import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rateLimiter.ts';

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
