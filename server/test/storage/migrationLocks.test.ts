/**
 * PostgreSQL: upgrading a busy database while nodes of the previous version serve it (a rolling deploy).
 * From the schema at migration 011 with many support rooms, migrations 012 (rooms.agent_id, its backfill)
 * and 013 (attachments.width/height) run beside an old node's upload and sends: none of them deadlocks or
 * waits for the whole backfill, and two nodes starting at once each find the schema whole.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/storage/index.ts';
import { createTestStore, DIALECTS, type TestStore } from '../support/databases.ts';
import { makeUser } from './people.ts';
import { runStatements } from './rawStatements.ts';

/** Enough support rooms that backfilling all of them in one statement takes a couple of seconds. */
const SUPPORT_ROOMS = 200_000;

const BEFORE_012 = [
  'drop index rooms_agent',
  'alter table rooms drop column agent_id',
  'alter table attachments drop column width',
  'alter table attachments drop column height',
  "delete from schema_migrations where id >= '012'",
];

/** A connection of a node of the previous version (its own search_path, no statement timeout). */
async function oldNode(db: TestStore): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.databaseUrl });
  await client.connect();
  await client.query(`set search_path to ${db.pgSchema}`);
  return client;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: string }> {
  const started = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - started, value };
  } catch (err) {
    return { ms: performance.now() - started, error: (err as Error).message };
  }
}

describe.runIf(DIALECTS.includes('postgres'))('upgrading PostgreSQL across 012 and 013 while old nodes serve it', () => {
  let db: TestStore;
  let uploader: number;
  let generalRoom: number;
  let supportRoom: number;
  const clients: pg.Client[] = [];

  beforeEach(async () => {
    db = await createTestStore('postgres');
    const agent = await makeUser(db.store, 'support');
    const client = await makeUser(db.store, 'client');
    uploader = client.id;
    generalRoom = await db.store.createRoom({ type: 'general', name: 'uploads', jobId: null, participantIds: [client.id] });
    await runStatements(db, [
      ...BEFORE_012,
      // Four job rooms between support rooms, as on a real database: a batch of support rooms spans many ids.
      `insert into rooms (type, name, is_active, last_seq, updated_at, created_at)
         select case when g % 5 = 0 then 'support' else 'job' end, 'R' || g, 1, 0, '2026-01-01', '2026-01-01'
         from generate_series(1, ${SUPPORT_ROOMS * 5}) g`,
      `insert into participants (room_id, user_id, joined_at) select id, ${agent.id}, '2026-01-01' from rooms where type = 'support'`,
      `insert into participants (room_id, user_id, joined_at) select id, ${client.id}, '2026-01-01' from rooms where type = 'support'`,
      // Sends to half of them since: their rows lie elsewhere in the table than their ids say, and PostgreSQL
      // reads a batch's id range by a bitmap scan, in the table's order.
      'update rooms set last_seq = last_seq + 1 where id % 2 = 0',
      'analyze',
    ]);
    const middle = await connect().then((c) => c.query<{ id: number }>(`select id from rooms where type = 'support' order by id offset ${SUPPORT_ROOMS / 2} limit 1`));
    supportRoom = middle.rows[0]!.id;
  }, 60_000);

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end().catch(() => {});
    await db.cleanup();
  });

  /** An old node's connection, closed after the test. */
  async function connect(): Promise<pg.Client> {
    const client = await oldNode(db);
    clients.push(client);
    return client;
  }

  async function supportRoomsWithoutAgent(): Promise<number> {
    const { rows } = await (await connect()).query<{ n: string }>("select count(*) as n from rooms where type = 'support' and agent_id is null");
    return Number(rows[0]!.n);
  }

  it("an old node's upload that read attachments before the upgrade began stores its file, and the upgrade completes", async () => {
    const upload = await connect();
    const watcher = await connect();
    // The old node's upload: its quota read first (attachments), the insert (its foreign key: rooms) next.
    await upload.query('begin');
    await upload.query('select coalesce(sum(size), 0) from attachments where uploader_id = $1', [uploader]);

    const migrating = timed(() => db.store.migrate());
    // Until the upgrade waits for the upload's hold on attachments (013).
    const attachmentsWaitedOn = async () =>
      (await watcher.query('select 1 from pg_locks where not granted and relation = $1::regclass', [`${db.pgSchema}.attachments`])).rowCount! > 0;
    const until = Date.now() + 30_000;
    while (!(await attachmentsWaitedOn()) && Date.now() < until) await sleep(20);

    const insert = await timed(() =>
      upload.query(
        `insert into attachments (room_id, uploader_id, name, mime, size, storage_key, message_id, created_at)
           values ($1, $2, 'wall.png', 'image/png', 10, 'k1', null, '2026-11-30T00:00:00.000Z')`,
        [generalRoom, uploader],
      ),
    );
    await upload.query(insert.error ? 'rollback' : 'commit');
    const migrated = await migrating;

    expect({ upload: insert.error, upgrade: migrated.error }).toEqual({ upload: undefined, upgrade: undefined });
    // Not held until the end of the backfill (a deadlock would have failed one of them above).
    expect(insert.ms).toBeLessThan(migrated.ms / 4);
    expect(await supportRoomsWithoutAgent()).toBe(0);
    expect((await db.store.getAttachment(1))?.name).toBe('wall.png');
  }, 60_000);

  it("an old node's send to a support room waits for no more than a part of the backfill", async () => {
    const sender = await connect();
    let done = false;
    const migrating = timed(() => db.store.migrate()).finally(() => (done = true));
    // An old node's send bumps its room's last_seq: the longest any of these waited.
    let longest = 0;
    while (!done) {
      const bump = await timed(() => sender.query('update rooms set last_seq = last_seq + 1 where id = $1', [supportRoom]));
      expect(bump.error).toBeUndefined();
      longest = Math.max(longest, bump.ms);
      await sleep(10);
    }
    const migrated = await migrating;

    expect(migrated.error).toBeUndefined();
    expect(await supportRoomsWithoutAgent()).toBe(0);
    expect(longest).toBeLessThan(migrated.ms / 4);
  }, 60_000);

  it("an old node's send batch of two support rooms, locked in id order, and the backfill both complete", async () => {
    const sender = await connect();
    const watcher = await connect();
    const page = "(ctid::text::point)[0]";
    // The first support room, and a later one of its batch that lies before it in the table.
    const first = (await watcher.query<{ id: number }>("select min(id) as id from rooms where type = 'support'")).rows[0]!.id;
    await watcher.query('update rooms set last_seq = last_seq + 1 where id = $1', [first]);
    const { rows } = await watcher.query<{ id: number }>(
      `select id from rooms where type = 'support' and id > $1 and ${page} < (select ${page} from rooms where id = $1) order by id limit 1`,
      [first],
    );
    const later = rows[0]?.id;
    if (later === undefined) throw new Error('every support room lies after the first one');

    // 012 and 013 applied (by a node stopped before its backfill finished): this start goes straight to it.
    await runStatements(db, [
      'alter table rooms add column agent_id integer references users(id)',
      'alter table attachments add column width integer',
      'alter table attachments add column height integer',
      `insert into schema_migrations (id, applied_at) values ('012_rooms_agent_id', '2026-01-01'), ('013_attachments_pixels', '2026-01-01')`,
    ]);
    // The old node's batch locks its rooms in id order: the first one now, the later one once the backfill waits.
    await sender.query('begin');
    await sender.query('select id from rooms where id = $1 for update', [first]);
    const senderPid = (await sender.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const migrating = timed(() => db.store.migrate({ onBackfillFailed: (err) => { throw err; } }));
    const backfillWaits = async () =>
      (await watcher.query('select 1 from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [senderPid])).rowCount! > 0;
    const until = Date.now() + 30_000;
    while (!(await backfillWaits()) && Date.now() < until) await sleep(20);
    const send = await timed(async () => {
      await sender.query('select id from rooms where id = $1 for update', [later]);
      await sender.query('update rooms set last_seq = last_seq + 1 where id = any($1)', [[first, later]]);
    });
    await sender.query(send.error ? 'rollback' : 'commit');
    const migrated = await migrating;

    expect({ send: send.error, upgrade: migrated.error }).toEqual({ send: undefined, upgrade: undefined });
    expect(await supportRoomsWithoutAgent()).toBe(0);
  }, 60_000);

  it('two nodes starting at once both start, each migration applied once', async () => {
    const other = await createStore({ databaseUrl: db.databaseUrl, dataDir: os.tmpdir(), pgSchema: db.pgSchema, poolSize: 5 });
    try {
      const [mine, theirs] = await Promise.all([timed(() => db.store.migrate()), timed(() => other.migrate())]);
      expect({ mine: mine.error, theirs: theirs.error }).toEqual({ mine: undefined, theirs: undefined });
    } finally {
      await other.close();
    }
    const { rows } = await (await connect()).query<{ id: string }>("select id from schema_migrations where id >= '012' order by id");
    expect(rows.map((r) => r.id)).toEqual(['012_rooms_agent_id', '012b_rooms_agent_backfill', '013_attachments_pixels']);
    expect(await supportRoomsWithoutAgent()).toBe(0);
    expect((await db.store.pickSupportAgent())?.role).toBe('support');
  }, 60_000);
});
