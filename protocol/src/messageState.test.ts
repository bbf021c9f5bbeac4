import { describe, expect, it } from 'vitest';
import { compareMessageState } from './messageState.ts';

const plain = { editedAt: null, deletedAt: null };
const edited = (at: string) => ({ editedAt: at, deletedAt: null });
const deleted = { editedAt: null, deletedAt: '2026-11-29T09:00:00.000Z' };

describe('compareMessageState', () => {
  it('takes a later edit as newer, and any edit over none', () => {
    expect(compareMessageState(edited('2026-11-29T09:00:01.000Z'), edited('2026-11-29T09:00:00.000Z'))).toBeGreaterThan(0);
    expect(compareMessageState(edited('2026-11-29T09:00:00.000Z'), edited('2026-11-29T09:00:01.000Z'))).toBeLessThan(0);
    expect(compareMessageState(edited('2026-11-29T09:00:00.000Z'), plain)).toBeGreaterThan(0);
    expect(compareMessageState(plain, plain)).toBe(0);
  });

  it('keeps a deletion final: newer than any edit, and two deletions are the same state', () => {
    expect(compareMessageState(deleted, edited('2030-01-01T00:00:00.000Z'))).toBeGreaterThan(0);
    expect(compareMessageState(edited('2030-01-01T00:00:00.000Z'), deleted)).toBeLessThan(0);
    expect(compareMessageState(deleted, { ...deleted, editedAt: '2026-11-29T08:00:00.000Z' })).toBe(0);
  });
});
