import { describe, expect, it } from 'vitest';
import { replacesBoardChange } from './boardChange.ts';

describe('replacesBoardChange', () => {
  it('lets a job leave the board, and never brings it back with a late "posted"', () => {
    expect(replacesBoardChange({ status: 'assigned' }, { status: 'open' })).toBe(true);
    expect(replacesBoardChange({ status: 'cancelled' }, { status: 'assigned' })).toBe(true);
    expect(replacesBoardChange({ status: 'open' }, { status: 'assigned' })).toBe(false);
    expect(replacesBoardChange({ status: 'open' }, { status: 'cancelled' })).toBe(false);
    expect(replacesBoardChange({ status: 'open' }, { status: 'open' })).toBe(true);
  });
});
