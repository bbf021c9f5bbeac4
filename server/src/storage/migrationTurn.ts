/** The turn schema changes take on a database: one node and one step at a time. */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from './store.ts';

const LOCK_KEY = 727_274_001;

/**
 * Runs `work` in a transaction of its own that holds the migration lock (PostgreSQL: an advisory lock, so
 * nodes starting together take turns; SQLite has one writer). Each migration and each backfill batch takes
 * it in turn rather than once for all: a lock one of them takes on a table (012: rooms) is released when it
 * commits, not held through the next (013: attachments), which an old node's transaction may hold while it
 * waits for the first (a deadlock).
 */
export function inTurn<T>(db: Kysely<unknown>, dialect: Dialect, work: (trx: Kysely<unknown>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    // Not cut off by PG_STATEMENT_TIMEOUT_MS: waiting for another node's migrations may take longer than any
    // request should (SET LOCAL: this transaction only).
    if (dialect === 'postgres') await sql`set local statement_timeout = 0`.execute(trx);
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    return work(trx);
  });
}
