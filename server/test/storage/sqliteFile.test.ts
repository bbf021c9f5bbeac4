/**
 * The SQLite file itself: WAL checkpoints run in a background thread, so the
 * database file (what a file-level backup copies) catches up with committed
 * messages by itself, without the server's event loop doing it.
 */
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { checkpointsFromEnv, createStore, onOffFromEnv, synchronousFromEnv } from '../../src/storage/index.ts';
import { KyselyStore } from '../../src/storage/kyselyStore.ts';
import { SqliteCheckpointer } from '../../src/storage/sqliteCheckpointer.ts';
import type { Store } from '../../src/storage/store.ts';
import { makeUser, plainRoom, text } from './people.ts';

const run = promisify(execFile);

/** A WAL database of 4 KB blobs and a write of 20 of them in one transaction (about 20 WAL frames). */
function pagesDatabase(file: string) {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');
  raw.exec('create table pages (body blob not null)');
  const insert = raw.prepare('insert into pages (body) values (?)');
  const writeBatch = raw.transaction(() => {
    for (let i = 0; i < 20; i++) insert.run(Buffer.alloc(4000, i));
  });
  const count = () => (raw.prepare('select count(*) as n from pages').get() as { n: number }).n;
  return { raw, writeBatch, count };
}

/** Messages in a copy of the main database file alone (no -wal beside it). */
async function messagesInFileAlone(dataDir: string): Promise<number> {
  const copy = path.join(dataDir, 'copy.db');
  await copyFile(path.join(dataDir, 'chat.db'), copy);
  const db = new SQLite(copy, { readonly: true });
  try {
    // Before the first checkpoint even the tables exist only in the WAL.
    const hasTable = db.prepare("select 1 from sqlite_master where name = 'messages'").get();
    return hasTable ? (db.prepare('select count(*) as n from messages').get() as { n: number }).n : 0;
  } finally {
    db.close();
    await rm(copy, { force: true });
  }
}

describe('SQLite file', () => {
  let dataDir: string;
  let store: Store;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ecc-file-'));
    store = await createStore({ dataDir });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('moves committed messages into the database file in the background', async () => {
    const [alice, bob] = [await makeUser(store, 'client'), await makeUser(store, 'cleaner')];
    const roomId = await plainRoom(store, [alice, bob]);
    for (let i = 0; i < 20; i++) {
      await store.appendMessages(Array.from({ length: 50 }, (_, k) => text(roomId, k % 2 ? alice : bob, `m${i}.${k}`)));
    }
    let inFile = 0;
    for (let attempt = 0; attempt < 50 && inFile < 1000; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      inFile = await messagesInFileAlone(dataDir);
    }
    expect(inFile).toBe(1000);
  });

  it('keeps every message across a close and reopen', async () => {
    const [alice, bob] = [await makeUser(store, 'client'), await makeUser(store, 'cleaner')];
    const roomId = await plainRoom(store, [alice, bob]);
    await store.appendMessages(Array.from({ length: 30 }, (_, k) => text(roomId, alice, `m${k}`)));
    await store.close();
    store = await createStore({ dataDir });
    const page = await store.history({ roomId, limit: 50 });
    expect(page.messages.map((m) => m.content)).toEqual(Array.from({ length: 30 }, (_, k) => `m${k}`));
  });

  it('under steady writes makes the WAL start over, granted between writes, instead of letting it grow', async () => {
    const file = path.join(dataDir, 'steady.db');
    const { raw, writeBatch, count } = pagesDatabase(file);
    // Normal priority: this test is about the restart handshake, and on a busy test machine a lowest-priority
    // worker may not run at all within the test (that case is the next test's).
    const checkpointer = new SqliteCheckpointer(raw, file, { intervalMs: 10, restartFrames: 200, lowPriority: false });
    let restartsGranted = 0;
    let pagesWritten = 0;
    try {
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        const restart = checkpointer.beforeWrite();
        if (restart) {
          restartsGranted += 1;
          await restart;
        }
        writeBatch();
        pagesWritten += 20;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(restartsGranted).toBeGreaterThan(0);
      const walPages = (await stat(`${file}-wal`)).size / 4096;
      // Without a restart the WAL would hold every page written; it started over instead. (Half, not less:
      // on a loaded machine the checkpointer thread runs seldom, and the WAL's size is its largest stretch.)
      expect(walPages).toBeLessThan(pagesWritten / 2);
      expect(count()).toBe(pagesWritten);
    } finally {
      await checkpointer.stop();
      raw.close();
    }
  });

  it('keeps the WAL bounded from the main thread when the checkpointer thread does not keep up', async () => {
    const file = path.join(dataDir, 'starved.db');
    const { raw, writeBatch, count } = pagesDatabase(file);
    // A worker whose timer never fires within the test: as if it got no CPU at all.
    const checkpointer = new SqliteCheckpointer(raw, file, {
      intervalMs: 3_600_000,
      restartFrames: 100,
      guardMs: 20,
      walSizeLimitBytes: 256 * 1024,
    });
    const hardBound = 8 * 100 * 4096;
    let pagesWritten = 0;
    let largestWal = 0;
    try {
      // Four times the hard bound in all, so an unguarded WAL would end far above it.
      const deadline = Date.now() + 15_000;
      while (pagesWritten * 4096 < 4 * hardBound && Date.now() < deadline) {
        await checkpointer.beforeWrite();
        writeBatch();
        pagesWritten += 20;
        largestWal = Math.max(largestWal, (await stat(`${file}-wal`)).size);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(pagesWritten * 4096).toBeGreaterThanOrEqual(4 * hardBound);
      // At most what was written between two looks of the guard (every 20 ms) above the bound.
      expect(largestWal).toBeLessThan(2 * hardBound);
      expect(count()).toBe(pagesWritten);
    } finally {
      await checkpointer.stop();
      raw.close();
    }
  });

  it('lets a process that only writes (no socket, no timer) finish its writes through a RESTART', async () => {
    const script = fileURLToPath(new URL('../support/walWriterAlone.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, path.join(dataDir, 'alone.db'), '150'], { timeout: 60_000 });
    const result = JSON.parse(stdout) as { rows: number; restarts: number };
    expect(result.restarts).toBeGreaterThan(0);
    expect(result.rows).toBe(150 * 20);
  });

  it('syncs every commit by default (an ack survives power loss), NORMAL only when asked, and refuses other modes', async () => {
    const synchronousOf = async (opened: Store) => {
      if (!(opened instanceof KyselyStore)) throw new Error('expected the Kysely store');
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(opened.db);
      return rows[0]?.synchronous;
    };
    // 2 is FULL, 1 NORMAL.
    expect(await synchronousOf(store)).toBe(2);
    // A read mark commits without a sync of its own; the messages after it are synced again.
    const [alice, bob] = [await makeUser(store, 'client'), await makeUser(store, 'cleaner')];
    const roomId = await plainRoom(store, [alice, bob]);
    await store.appendMessages([text(roomId, alice, 'keys under the mat')]);
    expect(await store.markRead(roomId, bob.id, 1)).toEqual({ lastReadSeq: 1, moved: true });
    expect(await synchronousOf(store)).toBe(2);
    const relaxed = await createStore({ dataDir, sqliteFile: path.join(dataDir, 'relaxed.db'), sqliteSynchronous: 'NORMAL' });
    try {
      expect(await synchronousOf(relaxed)).toBe(1);
    } finally {
      await relaxed.close();
    }
    expect([synchronousFromEnv(undefined), synchronousFromEnv(' full '), synchronousFromEnv('normal')]).toEqual(['FULL', 'FULL', 'NORMAL']);
    expect(() => synchronousFromEnv('OFF')).toThrow(/SQLITE_SYNCHRONOUS must be FULL or NORMAL/);
  });

  it('refuses a storage setting it does not know instead of quietly using the default', () => {
    expect([checkpointsFromEnv(undefined), checkpointsFromEnv('Inline'), checkpointsFromEnv(' background ')]).toEqual(['background', 'inline', 'background']);
    expect(() => checkpointsFromEnv('inlined')).toThrow(/SQLITE_CHECKPOINTS must be background or inline, not "inlined"/);
    expect([onOffFromEnv('X', undefined, true), onOffFromEnv('X', 'OFF', true), onOffFromEnv('X', '0', true), onOffFromEnv('X', 'on', false)]).toEqual([true, false, false, true]);
    expect(() => onOffFromEnv('PG_PREPARE_STATEMENTS', 'disabled', true)).toThrow(/PG_PREPARE_STATEMENTS must be on or off, not "disabled"/);
  });
});
