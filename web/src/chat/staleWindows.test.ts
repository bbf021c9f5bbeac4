import { describe, expect, it } from 'vitest';
import { REREAD_PAGE, StaleWindows } from './staleWindows.ts';

describe('what is read again after a reconnect', () => {
  it('asks for the page of rows shown that were loaded before it, once, and nothing for rows read again since', () => {
    const stale = new StaleWindows();
    stale.reset([{ roomId: 1, from: 1000, to: 5000 }]);
    // The newest page was read again at once.
    stale.refreshed(1, 4951, 5000);
    expect(stale.claim(1, 4960, 4990)).toBeNull();
    const page = stale.claim(1, 2000, 2010);
    expect(page).toEqual({ beforeSeq: 2031, from: 2031 - REREAD_PAGE, to: 2030 });
    // One page at a time.
    expect(stale.claim(1, 3000, 3010)).toBeNull();
    stale.answered(1, page);
    expect(stale.claim(1, 1990, 2020)).toBeNull();
    expect(stale.claim(1, 3000, 3010)).not.toBeNull();
  });

  it('asks for nothing in rooms or rows loaded after the reconnect, and again after a failed read', () => {
    const stale = new StaleWindows();
    stale.reset([{ roomId: 1, from: 1000, to: 5000 }]);
    expect(stale.claim(2, 1, 10)).toBeNull();
    // Older pages loaded since are fresh.
    expect(stale.claim(1, 900, 990)).toBeNull();
    expect(stale.claim(1, 990, 1005)).not.toBeNull();
    stale.answered(1, null);
    expect(stale.claim(1, 990, 1005)).not.toBeNull();
  });
});
