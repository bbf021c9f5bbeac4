/**
 * Real databases for tests: every storage-touching suite runs once per
 * dialect. SQLite gets a fresh temp directory; PostgreSQL a fresh schema that
 * is dropped afterwards. A missing PostgreSQL fails loudly under CI and is
 * skipped with a warning elsewhere.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createStore, type StoreOptions } from '../../src/storage/index.ts';
import type { Dialect, Store } from '../../src/storage/store.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function availableDialects(): Promise<Dialect[]> {
  if (await postgresAnswers()) return ['sqlite', 'postgres'];
  if (process.env.CI) throw new Error(`PostgreSQL is required under CI but does not answer at ${TEST_DATABASE_URL}`);
  console.warn(`PostgreSQL does not answer at ${TEST_DATABASE_URL}: skipping the PostgreSQL variants (set CI=true to fail instead)`);
  return ['sqlite'];
}

/** The dialects every storage-touching suite loops over. */
export const DIALECTS: Dialect[] = await availableDialects();

export interface TestStore {
  store: Store;
  cleanup(): Promise<void>;
  /** Set for PostgreSQL: what another process needs to open the same data. */
  databaseUrl?: string;
  pgSchema?: string;
  dataDir?: string;
}

/** A new, empty, migrated store of `dialect` (PostgreSQL: with `options`). */
export async function createTestStore(dialect: Dialect, options: Pick<StoreOptions, 'statementTimeoutMs'> = {}): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ecc-store-'));
    const store = await createStore({ dataDir });
    await store.migrate();
    return {
      store,
      dataDir,
      cleanup: async () => {
        await store.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const pgSchema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${pgSchema}`);
  await admin.end();
  const store = await createStore({ databaseUrl: TEST_DATABASE_URL, dataDir: os.tmpdir(), pgSchema, poolSize: 5, ...options });
  await store.migrate();
  return {
    store,
    databaseUrl: TEST_DATABASE_URL,
    pgSchema,
    cleanup: async () => {
      await store.close();
      const dropper = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await dropper.connect();
      await dropper.query(`drop schema if exists ${pgSchema} cascade`);
      await dropper.end();
    },
  };
}
