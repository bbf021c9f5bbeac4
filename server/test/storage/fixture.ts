/**
 * The setup every storage suite shares: a fresh, migrated store of one
 * dialect with what the suite builds in it, cleaned up afterwards.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Dialect, Store } from '../../src/storage/store.ts';
import { createTestStore, type TestStore } from '../support/databases.ts';

export type StoreFixture<T> = { db: TestStore; store: Store } & T;

/**
 * Registers the hooks of the enclosing describe: before each test (or once
 * before all of them, with `scope: 'all'`) a new store of `dialect`, then
 * `build(store)` when given; after it, the store's cleanup. Returns the object the hooks
 * fill in: read its fields inside tests and hooks, never while declaring them.
 */
export function storeFixture<T extends object = object>(
  dialect: Dialect,
  build: (store: Store) => Promise<T> = async () => ({}) as T,
  scope: 'each' | 'all' = 'each',
): StoreFixture<T> {
  const fixture = {} as StoreFixture<T>;
  let db: TestStore | undefined;
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    db = await createTestStore(dialect);
    Object.assign(fixture, { db, store: db.store }, await build(db.store));
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await db?.cleanup();
    db = undefined;
  });
  return fixture;
}
