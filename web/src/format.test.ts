import { describe, expect, it } from 'vitest';
import { formatLastSeen, formatTime } from './format.ts';

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
