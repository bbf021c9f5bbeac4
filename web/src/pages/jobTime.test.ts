import { describe, expect, it } from 'vitest';
import { formatJobTime, hasPassedEverywhere } from './jobTime.ts';

describe('formatJobTime', () => {
  it('shows the day and hour as written, the same in every time zone', () => {
    expect(formatJobTime('2026-12-01T10:00')).toMatch(/2026.*10:00.*at the address$/);
    expect(formatJobTime('2026-12-01T23:30')).toMatch(/1.*2026.*(23:30|11:30\sPM)/);
    expect(formatJobTime('2026-12-01T10:00:00+01:00')).toMatch(/10:00(\sAM)? \(UTC\+01:00\)$/);
    expect(formatJobTime('2026-12-01T10:00:00.000Z')).toMatch(/10:00(\sAM)? \(UTC\)$/);
    expect(formatJobTime('2026-12-05')).not.toMatch(/:/);
  });

  it('keeps text that is no real date or time as the client wrote it', () => {
    for (const text of ['Tomorrow morning', '2026-02-31', '2026-12-01T25:00', '12/01/2026', '']) expect(formatJobTime(text)).toBe(text);
  });
});

describe('hasPassedEverywhere', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it('is past only once the clock furthest behind (UTC−12, there 2026-11-29 00:00) has gone by it', () => {
    expect(hasPassedEverywhere('2026-11-28T23:59', now)).toBe(true);
    expect(hasPassedEverywhere('2020-01-01T10:00', now)).toBe(true);
    // Still to come at an address in UTC−12, though past in UTC and east of it.
    expect(hasPassedEverywhere('2026-11-29T00:00', now)).toBe(false);
    expect(hasPassedEverywhere('2026-11-29T08:00', now)).toBe(false);
    expect(hasPassedEverywhere('', now)).toBe(false);
  });
});
