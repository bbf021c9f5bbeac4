import { describe, expect, it } from 'vitest';
import { newClientId } from './clientId.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newClientId', () => {
  it('is a UUIDv7 carrying the time it was made', () => {
    const at = Date.UTC(2026, 10, 29, 7, 0, 0, 123);
    const id = newClientId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts in creation order, within one millisecond and when the clock steps back', () => {
    const at = Date.UTC(2027, 0, 1);
    const ids = [
      ...Array.from({ length: 5000 }, () => newClientId(at)), // more than the 4,096 a millisecond counts
      newClientId(at - 60_000),
      newClientId(at + 5),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});
