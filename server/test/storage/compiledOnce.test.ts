/**
 * compiledOnce: a query compiled once answers with each call's own
 * arguments, in whatever order the SQL uses them, and a query with a value
 * that is not an argument is refused instead of silently reusing it.
 */
import { describe, expect, it } from 'vitest';
import { compiledOnce } from '../../src/storage/compiledOnce.ts';
import type { KyselyStore } from '../../src/storage/kyselyStore.ts';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { makeUser } from './people.ts';

for (const dialect of DIALECTS) {
  describe(`compiledOnce (${dialect})`, () => {
    const fixture = storeFixture(dialect);

    it('binds each call’s arguments where the query uses them', async () => {
      const { db } = fixture;
      const alice = await makeUser(db.store, 'client', 'alice');
      const bob = await makeUser(db.store, 'cleaner', 'bob');
      // The SQL uses the second argument before the first.
      const byRoleThenId = compiledOnce(
        (kdb, id: number, role: 'client' | 'cleaner') => kdb.selectFrom('users').select('username').where('role', '=', role).where('id', '=', id),
        [-1, 'cleaner'],
      );
      const kysely = (db.store as KyselyStore).db;
      expect(await byRoleThenId(kysely, alice.id, 'client')).toEqual([{ username: alice.username }]);
      expect(await byRoleThenId(kysely, bob.id, 'cleaner')).toEqual([{ username: bob.username }]);
      expect(await byRoleThenId(kysely, bob.id, 'client')).toEqual([]);
    });

    it('refuses a query whose parameters are not all its arguments', async () => {
      const { db } = fixture;
      const withConstant = compiledOnce((kdb, id: number) => kdb.selectFrom('users').select('id').where('id', '=', id).where('role', '=', 'client'), [-1]);
      await expect(withConstant((db.store as KyselyStore).db, 1)).rejects.toThrow(/not one of its arguments/);
    });
  });
}
