/**
 * Embedded SQLite: WAL so readers never block the writer; synchronous=NORMAL
 * in WAL keeps every committed transaction across a process crash (FULL also
 * across power loss: SQLITE_SYNCHRONOUS=FULL).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';

export function openSqlite(file: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${synchronous}`);
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
