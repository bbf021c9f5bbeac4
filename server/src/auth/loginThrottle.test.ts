import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './loginThrottle.ts';

describe('LoginThrottle', () => {
  const limits = { maxFailuresPerUser: 3, maxFailuresPerAddress: 5, windowMs: 1000 };

  it('blocks a username after too many failures until the window passes', () => {
    let now = 0;
    const t = new LoginThrottle(limits, () => now);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterMs('Alice', '1.1.1.1')).toBe(0);
      t.recordFailure('alice', `10.0.0.${i}`);
    }
    expect(t.retryAfterMs('alice', '2.2.2.2')).toBe(1000);
    now = 1000;
    expect(t.retryAfterMs('alice', '2.2.2.2')).toBe(0);
  });

  it('blocks an address spraying many usernames', () => {
    const t = new LoginThrottle(limits, () => 0);
    for (let i = 0; i < 5; i++) t.recordFailure(`user${i}`, '9.9.9.9');
    expect(t.retryAfterMs('someone-else', '9.9.9.9')).toBeGreaterThan(0);
    expect(t.retryAfterMs('someone-else', '8.8.8.8')).toBe(0);
  });

  it('a success clears the username counter', () => {
    const t = new LoginThrottle(limits, () => 0);
    t.recordFailure('bob', 'a');
    t.recordFailure('bob', 'b');
    t.recordSuccess('bob');
    t.recordFailure('bob', 'c');
    t.recordFailure('bob', 'd');
    expect(t.retryAfterMs('bob', 'e')).toBe(0);
  });
});
