/**
 * PG_STATEMENT_TIMEOUT_MS: a statement that runs too long (here: waiting on a lock another session
 * holds) fails on the usual error path — a send is answered `error INTERNAL` and no ack, an HTTP
 * request 500 — instead of holding its pooled connection and its client for as long as it takes;
 * the node goes on and the next request succeeds. Migrations are exempt: they may wait that long.
 */
import os from 'node:os';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/testing.ts';
import { createStore, statementTimeoutFromEnv } from '../../src/storage/index.ts';
import type { Store } from '../../src/storage/store.ts';
import { api, cid, connectAs } from '../support/chat.ts';
import { createTestStore, DIALECTS, TEST_DATABASE_URL, type TestStore } from '../support/databases.ts';
import { waitUntil } from '../cluster/support/redis.ts';

const TIMEOUT_MS = 300;

describe('PG_STATEMENT_TIMEOUT_MS', () => {
  it('is 30 s unset, 0 for none, and a typo stops the start instead of meaning no limit', () => {
    expect([statementTimeoutFromEnv(undefined), statementTimeoutFromEnv(' 5000 '), statementTimeoutFromEnv('0')]).toEqual([30_000, 5000, 0]);
    expect(() => statementTimeoutFromEnv('30s')).toThrow(/PG_STATEMENT_TIMEOUT_MS must be a number of milliseconds \(0: no limit\), not "30s"/);
  });
});

if (DIALECTS.includes('postgres')) {
  describe('PostgreSQL statement timeout', () => {
    const open: { close(): Promise<unknown> }[] = [];
    afterEach(async () => {
      for (const thing of open.splice(0).reverse()) await thing.close();
    });

    /** Another session on the test database (holding locks for as long as the test says). */
    async function blocker(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      open.push({ close: () => client.end() });
      return client;
    }

    async function testStore(): Promise<TestStore> {
      const db = await createTestStore('postgres', { statementTimeoutMs: TIMEOUT_MS });
      open.push({ close: () => db.cleanup() });
      return db;
    }

    it('fails a send and a request stuck past it; the node answers meanwhile and the same send is stored after', async () => {
      const db = await testStore();
      const server: TestServer = await startTestServer({ store: db.store });
      open.push(server);
      const alice = await connectAs(server, 'client1');
      const roomId = server.demo!.roomId;
      const lock = await blocker();
      await lock.query('begin');
      await lock.query(`select id from ${db.pgSchema}.rooms where id = $1 for update`, [roomId]);
      await lock.query(`lock table ${db.pgSchema}.jobs in access exclusive mode`);

      const clientId = cid();
      const failed = await alice.socket.request('ack', { type: 'send', roomId, clientId, content: 'while the room is locked' });
      expect(failed).toMatchObject({ type: 'error', code: 'INTERNAL' });
      const jobs = await api(server, alice.token, 'GET', '/api/jobs');
      expect(jobs.status).toBe(500);
      expect(jobs.body.error?.code).toBe('INTERNAL');
      // The node is up and its other queries run.
      expect((await api(server, alice.token, 'GET', '/api/me')).status).toBe(200);

      await lock.query('rollback');
      expect((await api(server, alice.token, 'GET', '/api/jobs')).status).toBe(200);
      const stored = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'while the room is locked' });
      expect(stored.message.content).toBe('while the room is locked');
      alice.socket.close();
    });

    it('lets migrations wait past it (another node migrating, a slow index build)', async () => {
      const db = await testStore();
      const lock = await blocker();
      await lock.query('begin');
      await lock.query(`lock table ${db.pgSchema}.schema_migrations in access exclusive mode`);
      const store: Store = await createStore({ databaseUrl: TEST_DATABASE_URL, dataDir: os.tmpdir(), pgSchema: db.pgSchema!, poolSize: 1, statementTimeoutMs: TIMEOUT_MS });
      open.push(store);
      let settled: string | null = null;
      const migrating = store.migrate().then(
        () => (settled = 'done'),
        (err: unknown) => (settled = String(err)),
      );
      // Waiting on the lock for three times the statement timeout, and still waiting. Watched from another
      // session: inside the blocker's transaction pg_stat_activity would stay as first read.
      const watcher = await blocker();
      await waitUntil('the migration waits on the lock past the timeout', async () => {
        const { rows } = await watcher.query<{ n: number }>(
          `select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where not l.granted and l.relation = '${db.pgSchema}.schema_migrations'::regclass
              and clock_timestamp() - a.query_start > interval '${3 * TIMEOUT_MS} milliseconds'`,
        );
        return rows[0]!.n > 0 || settled !== null;
      });
      expect(settled).toBeNull();
      await lock.query('rollback');
      await migrating;
      expect(settled).toBe('done');
    });
  });
}
