/**
 * Runs SQL on a test store's database from a connection of its own, as an older node or an operator
 * would: to take a database back to an earlier migration, or write what an older version wrote.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestStore } from '../support/databases.ts';

export async function runStatements(db: TestStore, statements: readonly string[]): Promise<void> {
  if (db.dataDir) {
    const raw = new Database(path.join(db.dataDir, 'chat.db'));
    try {
      for (const statement of statements) raw.exec(statement);
    } finally {
      raw.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: db.databaseUrl });
  await client.connect();
  try {
    await client.query(`set search_path to ${db.pgSchema}`);
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The first column of the first row `query` gives, read as `runStatements` runs them. */
export async function queryValue(db: TestStore, query: string): Promise<unknown> {
  if (db.dataDir) {
    const raw = new Database(path.join(db.dataDir, 'chat.db'), { readonly: true });
    try {
      return Object.values((raw.prepare(query).get() as Record<string, unknown> | undefined) ?? {})[0];
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: db.databaseUrl });
  await client.connect();
  try {
    await client.query(`set search_path to ${db.pgSchema}`);
    return Object.values((await client.query<Record<string, unknown>>(query)).rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}
