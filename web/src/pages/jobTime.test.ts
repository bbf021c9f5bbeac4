import { describe, expect, it } from 'vitest';
import { formatJobTime } from './jobTime.ts';

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
