import { describe, expect, it } from 'vitest';
import { formatDay, formatDayAndTime, formatLastSeen, formatListTime, formatTime, timeFormatFor } from './format.ts';

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

describe('formatDayAndTime', () => {
  const now = new Date(2026, 10, 29, 13, 0);

  it('names the weekday, the date and the time, with the year only when it is another one', () => {
    const soon = new Date(2026, 11, 1, 10, 0).toISOString();
    // Tuesday, in the locale's words: a date a week or more away still says its day.
    expect(formatDayAndTime(soon, now)).toContain(new Intl.DateTimeFormat(undefined, { weekday: 'short' }).format(new Date(soon)));
    expect(formatDayAndTime(soon, now)).toMatch(/1/);
    expect(formatDayAndTime(soon, now)).toMatch(new RegExp(` at ${formatTime(soon)}$`));
    expect(formatDayAndTime(soon, now)).not.toMatch(/2026/);
    expect(formatDayAndTime(new Date(2027, 0, 2, 9, 0).toISOString(), now)).toMatch(/2027/);
  });
});
