/**
 * The PostgreSQL pool behind the store: a pooled connection killed by the
 * server is reported (not swallowed) and replaced, and hot statements work
 * both prepared per connection and plain (PG_PREPARE_STATEMENTS=off).
 */
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { hashToken, newToken } from '../../src/auth/tokens.ts';
import { createStore } from '../../src/storage/index.ts';
import { KyselyStore } from '../../src/storage/kyselyStore.ts';
import type { Store } from '../../src/storage/store.ts';
import { createTestStore, DIALECTS, type TestStore } from '../support/databases.ts';
import { makeUser } from './people.ts';

/** Logs in and reads the session back a few times: the same statement text on one connection. */
async function sessionRoundTrips(store: Store): Promise<void> {
  const user = await makeUser(store, 'client');
  const token = newToken();
  await store.createSession(user.id, hashToken(token), new Date(Date.now() + 60_000));
  for (let i = 0; i < 7; i++) expect((await store.findSession(hashToken(token)))?.user.id).toBe(user.id);
  expect(await store.findSession(hashToken(newToken()))).toBeNull();
}

if (DIALECTS.includes('postgres')) {
  describe('PostgreSQL pool', () => {
    let db: TestStore | undefined;
    const extra: Store[] = [];
    afterEach(async () => {
      for (const store of extra.splice(0)) await store.close();
      await db?.cleanup();
      db = undefined;
    });

    /** Another store (one connection) on the test schema, opened with `options`. */
    async function open(options: { prepareStatements?: boolean; onPoolError?: (err: Error) => void }): Promise<Store> {
      db ??= await createTestStore('postgres');
      if (!db.databaseUrl || !db.pgSchema) throw new Error('no PostgreSQL test database');
      const store = await createStore({ databaseUrl: db.databaseUrl, dataDir: os.tmpdir(), pgSchema: db.pgSchema, poolSize: 1, ...options });
      extra.push(store);
      return store;
    }

    it('answers the same queries with statements prepared per connection and without', async () => {
      await sessionRoundTrips(await open({ prepareStatements: true }));
      await sessionRoundTrips(await open({ prepareStatements: false }));
    });

    it('reports a pooled connection the server killed, and the next queries run on a new one', async () => {
      const errors: Error[] = [];
      let reported: () => void = () => {};
      const seen = new Promise<void>((resolve) => (reported = resolve));
      const store = await open({
        onPoolError: (err) => {
          errors.push(err);
          reported();
        },
      });
      await sessionRoundTrips(store);
      if (!(store instanceof KyselyStore)) throw new Error('expected the Kysely store');
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
      const pid = rows[0]?.pid;
      const admin = new pg.Client({ connectionString: db?.databaseUrl });
      await admin.connect();
      try {
        await admin.query('select pg_terminate_backend($1)', [pid]);
      } finally {
        await admin.end();
      }
      await seen;
      expect(errors.length).toBeGreaterThan(0);
      await store.ping();
      const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
      expect(after.rows[0]?.pid).not.toBe(pid);
      await sessionRoundTrips(store);
    }, 30_000);

    it('recovers when a migration changes a table under a prepared statement (a rolling deploy)', async () => {
      const store = await open({});
      const user = await makeUser(store, 'client');
      const roomId = await store.createRoom({ type: 'general', name: 'Files', jobId: null, participantIds: [user.id] });
      const file = await store.createAttachment({ roomId, uploaderId: user.id, name: 'a.txt', mime: 'text/plain', size: 1, storageKey: 'k' });
      for (let i = 0; i < 3; i++) expect(await store.getAttachment(file.id)).toMatchObject({ id: file.id, name: 'a.txt' });

      const admin = new pg.Client({ connectionString: db?.databaseUrl, options: `-c search_path=${db?.pgSchema ?? ''}` });
      await admin.connect();
      try {
        await admin.query('alter table attachments add column checksum text');
      } finally {
        await admin.end();
      }
      // The first call may fail on the stale prepared statement; the ones after it must not.
      const first = await store.getAttachment(file.id).then(
        () => 'ok',
        (err: unknown) => String((err as { code?: unknown }).code),
      );
      expect(['ok', '0A000']).toContain(first);
      for (let i = 0; i < 3; i++) expect(await store.getAttachment(file.id)).toMatchObject({ id: file.id, name: 'a.txt' });
    });
  });
}
