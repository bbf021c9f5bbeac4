/**
 * The job search folds the stored text in SQL and the searched text in JS: the two must agree on every
 * dialect, whatever collation the column or the database has (a database created with LC_CTYPE=C lowers
 * ASCII letters only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { foldForSearch } from '@ecc/protocol';
import { foldedForSearch } from '../src/storage/searchFold.ts';
import type { KyselyStore } from '../src/storage/kyselyStore.ts';
import { createTestStore, DIALECTS, type TestStore } from './support/databases.ts';

const SAMPLES = ['Émile Ñuñez', 'ZOË', 'ΝΊΚΟΣ Οδυσσέως', 'ΟΔΟΣ', 'Уборка КВАРТИРЫ, ЁЛКА', 'İstanbul', 'ŁÓDŹ Ørsted Đorđe', 'ǄUR ﬁne', 'plain ascii 100%_\\', 'Plain ASCII Title, No Accents'];

for (const dialect of DIALECTS) {
  describe(`the database's fold of stored text (${dialect})`, () => {
    let testStore: TestStore;
    let db: Kysely<unknown>;
    beforeAll(async () => {
      testStore = await createTestStore(dialect);
      db = (testStore.store as unknown as KyselyStore).db as unknown as Kysely<unknown>;
      // "C" folds ASCII letters only in PostgreSQL's own lower(); SQLite has no such collation.
      await sql`create table fold_samples (name text ${sql.raw(dialect === 'postgres' ? 'collate "C"' : '')})`.execute(db);
      for (const name of SAMPLES) await sql`insert into fold_samples (name) values (${name})`.execute(db);
    });
    afterAll(() => testStore.cleanup());

    it('is the fold of the searched text', async () => {
      const { rows } = await sql<{ name: string; folded: string }>`select name, ${foldedForSearch(dialect, 'name')} as folded from fold_samples`.execute(db);
      expect(rows).toHaveLength(SAMPLES.length);
      for (const row of rows) expect(row.folded, row.name).toBe(foldForSearch(row.name));
    });
  });
}
