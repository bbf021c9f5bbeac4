import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

const noJitter = () => 0.5; // 2 * 0.5 - 1 = 0: no spread

describe('backoffDelay', () => {
  it('starts at 500 ms and doubles per attempt', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, {}, noJitter))).toEqual([500, 1000, 2000, 4000]);
  });

  it('never exceeds the maximum, even with jitter', () => {
    expect(backoffDelay(30, {}, noJitter)).toBe(15_000);
    expect(backoffDelay(30, {}, () => 0.999)).toBeLessThanOrEqual(15_000);
  });

  it('spreads the delay by the jitter fraction in both directions', () => {
    expect(backoffDelay(1, { jitter: 0.2 }, () => 0)).toBe(400);
    expect(backoffDelay(1, { jitter: 0.2 }, () => 1)).toBe(600);
  });

  it('honours custom options', () => {
    expect(backoffDelay(3, { initialMs: 10, factor: 3, maxMs: 1000, jitter: 0 })).toBe(90);
  });
});
