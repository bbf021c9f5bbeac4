/**
 * The user cache behind every message's sender: when full it forgets the
 * user put longest ago, not everyone at once (a cliff of lookups), and a
 * user put again (each sign-in) counts as new.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { UserCache } from '../../src/storage/rows.ts';

const user = (id: number): User => ({ id, username: `u${id}`, displayName: `User ${id}`, role: 'client' });

describe('UserCache', () => {
  it('makes room by forgetting the entry put longest ago', () => {
    const cache = new UserCache(2);
    cache.put(user(1));
    cache.put(user(2));
    cache.put(user(3));
    expect([cache.get(1), cache.get(2), cache.get(3)]).toEqual([undefined, user(2), user(3)]);
  });

  it('treats a user put again as the newest', () => {
    const cache = new UserCache(2);
    cache.put(user(1));
    cache.put(user(2));
    cache.put(user(1));
    cache.put(user(3));
    expect([cache.get(1), cache.get(2), cache.get(3)]).toEqual([user(1), undefined, user(3)]);
  });
});
