/**
 * Embedded SQLite: WAL so readers never block the writer; synchronous=FULL
 * syncs the WAL at every commit, so an `ack` survives power loss, not only a
 * process crash (NORMAL: SQLITE_SYNCHRONOUS=NORMAL). Group commit pays that
 * sync once per batch: in the bench FULL sustained the same rates as NORMAL
 * (a commit that waits lets the next batch grow). Checkpoints run in a worker
 * thread (sqliteCheckpointer.ts), unless SQLITE_CHECKPOINTS=inline leaves
 * them to SQLite on the committing connection.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.ts';
import { SqliteCheckpointer } from './sqliteCheckpointer.ts';
import { QueuedSqliteDialect } from './sqliteDriver.ts';
import { registerSearchFold } from './searchFold.ts';

/** Distinct statement texts kept compiled; texts with long IN lists vary, so the cache is bounded. */
const STATEMENT_CACHE = 500;
/** Long texts (multi-row inserts, long IN lists) are cheap to compile next to their run, and costly to keep. */
const MAX_CACHED_SQL = 4096;

/**
 * Kysely prepares every query anew; compiling the same SQL again costs more
 * than running it for the hot index lookups, so compiled statements are
 * reused by text (least recently used dropped first). One connection runs
 * one statement at a time, so sharing a statement object is safe.
 */
function cachingStatements(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => void database.close(),
    prepare: (sql: string) => {
      if (sql.length > MAX_CACHED_SQL) return database.prepare(sql);
      let statement = cache.get(sql);
      if (statement) cache.delete(sql);
      else {
        statement = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/** The Kysely instance, the raw handle under it for the prepared-statement hot path, and the background checkpointer (files only). */
export interface OpenedSqlite {
  db: Kysely<Database>;
  raw: SQLite.Database;
  checkpointer: SqliteCheckpointer | null;
  /** The durability every commit gets unless the hot path relaxes it (read marks). */
  synchronous: SynchronousMode;
}

export type SynchronousMode = 'NORMAL' | 'FULL';

/**
 * With ANALYZE's per-value statistics (sqlite_stat4) present, SQLite
 * re-prepares a statement whenever a bound value changes, since the value
 * might change the plan: a point lookup then costs 5-10× more. Our queries
 * are indexed lookups whose plans do not depend on values, so those
 * statistics are dropped (sqlite_stat1, per-index averages, stays).
 */
function dropValueStatistics(database: SQLite.Database): void {
  const hasStat4 = database.prepare("select 1 from sqlite_master where name = 'sqlite_stat4'").get();
  if (!hasStat4) return;
  database.exec('delete from sqlite_stat4');
  database.exec('analyze sqlite_schema');
}

/**
 * `synchronous`: FULL unless the operator chose NORMAL; `inlineCheckpoints`: SQLite's own checkpoints on
 * the committing connection instead of the worker thread (defaults from the environment: index.ts).
 */
export function openSqlite(file: string, synchronous: SynchronousMode, inlineCheckpoints = false): OpenedSqlite {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${synchronous}`);
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  dropValueStatistics(database);
  registerSearchFold(database);
  const background = file !== ':memory:' && !inlineCheckpoints;
  const checkpointer = background ? new SqliteCheckpointer(database, file) : null;
  return { db: new Kysely<Database>({ dialect: new QueuedSqliteDialect({ database: cachingStatements(database) }) }), raw: database, checkpointer, synchronous };
}
