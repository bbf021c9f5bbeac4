/** The record of discarded messages (discardedSends.ts): how long and how many it keeps, what it reads, whose it is. */
import { describe, expect, it, vi } from 'vitest';
import { DISCARDS_KEPT, DISCARD_KEPT_MS, DiscardedSends } from './discardedSends.ts';
import { MemoryStorage } from '../test/tabPage.ts';

const KEY = 'ecc.chat.v1.discarded.1';

describe('the record of discarded messages', () => {
  it('remembers a discard for DISCARD_KEPT_MS, then forgets it', () => {
    let now = 1_000_000;
    const record = new DiscardedSends(new MemoryStorage(), 1, () => now);
    record.add(1, 'cid-1');
    now += DISCARD_KEPT_MS - 1;
    expect(record.has(1, 'cid-1')).toBe(true);
    expect(record.has(2, 'cid-1')).toBe(false);
    now += 1;
    expect(record.has(1, 'cid-1')).toBe(false);
  });

  it('keeps the newest DISCARDS_KEPT, and does not write the expired back', () => {
    let now = 1_000_000;
    const storage = new MemoryStorage();
    const record = new DiscardedSends(storage, 1, () => now);
    record.add(1, 'old');
    now += DISCARD_KEPT_MS;
    for (let i = 0; i < DISCARDS_KEPT + 1; i++) record.add(1, `cid-${i}`);
    expect(record.has(1, 'cid-0')).toBe(false);
    expect(record.has(1, 'cid-1')).toBe(true);
    expect(record.has(1, `cid-${DISCARDS_KEPT}`)).toBe(true);
    const kept = JSON.parse(storage.getItem(KEY) ?? '') as { discarded: unknown[] };
    expect(kept.discarded).toHaveLength(DISCARDS_KEPT);
    expect(storage.getItem(KEY)).not.toContain('"old"');
  });

  it('is the user\'s own: another user signed in in this browser neither finds nor overwrites it', () => {
    const storage = new MemoryStorage();
    new DiscardedSends(storage, 1).add(1, 'cid-1');
    const bobs = new DiscardedSends(storage, 2);
    expect(bobs.has(1, 'cid-1')).toBe(false);
    bobs.add(1, 'cid-9');
    expect(new DiscardedSends(storage, 1).has(1, 'cid-1')).toBe(true);
  });

  it('reads nothing from what is not its record, and keeps the good entries beside a bad one', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const storage = new MemoryStorage();
    const record = new DiscardedSends(storage, 1);
    for (const text of ['not json', '{"version":2,"discarded":[]}', '[]', '{"version":1}']) {
      storage.setItem(KEY, text);
      expect(record.has(1, 'cid-1')).toBe(false);
    }
    const now = Date.now();
    storage.setItem(KEY, JSON.stringify({ version: 1, discarded: [
      { roomId: 1, clientId: 'cid-1', at: now },
      { roomId: -1, clientId: 'cid-2', at: now },
      { roomId: 1, clientId: '', at: now },
      { roomId: 1, clientId: 'x'.repeat(1000), at: now },
      'cid-3',
      { roomId: 1, clientId: 'cid-4', at: now },
    ] }));
    expect(record.has(1, 'cid-1')).toBe(true);
    expect(record.has(-1, 'cid-2')).toBe(false);
    expect(record.has(1, 'cid-4')).toBe(true);
    // Written again over an unreadable record: it works from then on.
    storage.setItem(KEY, 'not json');
    record.add(1, 'cid-5');
    expect(record.has(1, 'cid-5')).toBe(true);
    warn.mockRestore();
  });

  it('goes on without storage that throws (quota, disabled by policy)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => undefined };
    const record = new DiscardedSends(broken, 1);
    expect(() => record.add(1, 'cid-1')).not.toThrow();
    expect(record.has(1, 'cid-1')).toBe(false);
    warn.mockRestore();
  });
});
