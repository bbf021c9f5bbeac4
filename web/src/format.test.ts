import { describe, expect, it } from 'vitest';
import { formatDay, formatLastSeen, formatListTime, formatTime, timeFormatFor } from './format.ts';

describe('formatLastSeen', () => {
  const now = new Date(2026, 10, 27, 15, 0);

  it('says which day a last-seen time was, not just the time', () => {
    const today = new Date(2026, 10, 27, 7, 46).toISOString();
    const yesterday = new Date(2026, 10, 26, 21, 10).toISOString();
    expect(formatLastSeen(today, now)).toBe(`Last seen today at ${formatTime(today)}`);
    expect(formatLastSeen(yesterday, now)).toBe(`Last seen yesterday at ${formatTime(yesterday)}`);
    expect(formatLastSeen(new Date(2026, 10, 3, 12, 0).toISOString(), now)).toMatch(/^Last seen on .*3/);
  });
});

describe('timeFormatFor', () => {
  const morning = new Date(2026, 10, 27, 9, 5);

  it("writes the time in the locale's own clock, with no leading zero before AM or PM", () => {
    expect(timeFormatFor('en-US').format(morning)).toMatch(/^9:05\sAM$/);
    expect(timeFormatFor('en-GB').format(morning)).toBe('09:05');
    expect(timeFormatFor('de-DE').format(new Date(2026, 10, 27, 21, 5))).toBe('21:05');
  });
});

describe('formatListTime', () => {
  const now = new Date(2026, 10, 27, 0, 10);

  it('says "Yesterday" for the day before, like the day separators, and a short date before that', () => {
    const today = new Date(2026, 10, 27, 0, 5).toISOString();
    expect(formatListTime(today, now)).toBe(formatTime(today));
    expect(formatListTime(new Date(2026, 10, 26, 23, 55).toISOString(), now)).toBe('Yesterday');
    expect(formatListTime(new Date(2026, 10, 25, 12, 0).toISOString(), now)).toMatch(/25/);
  });
});

describe('the year in dates', () => {
  const now = new Date(2026, 10, 27, 15, 0);
  const thisYear = new Date(2026, 2, 3, 12, 0).toISOString();
  const lastYear = new Date(2025, 10, 3, 12, 0).toISOString();

  it('is left out of a date in the current year, and given for an earlier one (separators, chat list, last seen)', () => {
    expect(formatDay(thisYear, now)).not.toMatch(/2026/);
    expect(formatDay(thisYear, now)).toMatch(/3/);
    expect(formatDay(lastYear, now)).toMatch(/2025/);
    expect(formatListTime(thisYear, now)).not.toMatch(/2026/);
    expect(formatListTime(lastYear, now)).toMatch(/2025|\b25\b/);
    expect(formatLastSeen(lastYear, now)).toMatch(/2025|\b25\b/);
  });
});
