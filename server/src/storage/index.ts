/** Opens the configured store: PostgreSQL when a URL is given, else SQLite under the data directory. */
import path from 'node:path';
import { KyselyStore } from './kyselyStore.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite, type SynchronousMode } from './sqlite.ts';
import type { Store } from './store.ts';

export interface StoreOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  sqliteFile?: string;
  sqliteSynchronous?: SynchronousMode;
  pgSchema?: string;
  poolSize?: number;
  /** PostgreSQL only: false disables named statements (PgBouncer < 1.21 in transaction mode); default from PG_PREPARE_STATEMENTS=off. */
  prepareStatements?: boolean;
  /** PostgreSQL only: a pooled connection failed, idle or in use (pass the logger; stderr by default). */
  onPoolError?: (err: Error) => void;
  /** PostgreSQL only: longest a statement may run, in ms (0: no limit of ours); default from PG_STATEMENT_TIMEOUT_MS, else 30 s. */
  statementTimeoutMs?: number;
}

/**
 * PostgreSQL when `databaseUrl` is set, else the SQLite file `sqliteFile`
 * (default `<dataDir>/chat.db`, directory created). Call `migrate()` before use.
 * SQLITE_SYNCHRONOUS (FULL by default, or NORMAL), SQLITE_CHECKPOINTS (background
 * or inline), PG_PREPARE_STATEMENTS (on or off) and PG_STATEMENT_TIMEOUT_MS are read from the environment
 * when the options leave them out; an unknown value stops the start.
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const db = openPostgres(options.databaseUrl, {
      ...(options.pgSchema ? { schema: options.pgSchema } : {}),
      ...(options.poolSize ? { poolSize: options.poolSize } : {}),
      ...(options.onPoolError ? { onPoolError: options.onPoolError } : {}),
      prepareStatements: options.prepareStatements ?? prepareStatementsFromEnv(process.env.PG_PREPARE_STATEMENTS),
      statementTimeoutMs: options.statementTimeoutMs ?? statementTimeoutFromEnv(process.env.PG_STATEMENT_TIMEOUT_MS),
    });
    return new KyselyStore(db, 'postgres');
  }
  const synchronous = options.sqliteSynchronous ?? synchronousFromEnv(process.env.SQLITE_SYNCHRONOUS);
  const inlineCheckpoints = checkpointsFromEnv(process.env.SQLITE_CHECKPOINTS) === 'inline';
  const { db, ...sqlite } = openSqlite(options.sqliteFile ?? path.join(options.dataDir, 'chat.db'), synchronous, inlineCheckpoints);
  return new KyselyStore(db, 'sqlite', sqlite);
}

/** FULL unless NORMAL is asked for; anything else is refused rather than silently read as one of them. */
export function synchronousFromEnv(value: string | undefined): SynchronousMode {
  const mode = (value ?? '').trim().toUpperCase();
  if (mode === '' || mode === 'FULL') return 'FULL';
  if (mode === 'NORMAL') return 'NORMAL';
  throw new Error(`SQLITE_SYNCHRONOUS must be FULL or NORMAL, not "${value}"`);
}

/** `background` (a worker thread) unless `inline` is asked for; a typo is refused, not read as the default. */
export function checkpointsFromEnv(value: string | undefined): 'background' | 'inline' {
  const mode = (value ?? '').trim().toLowerCase();
  if (mode === '' || mode === 'background') return 'background';
  if (mode === 'inline') return 'inline';
  throw new Error(`SQLITE_CHECKPOINTS must be background or inline, not "${value}"`);
}

/** Default PostgreSQL statement timeout: far above any statement of a request, well below a client giving up. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

/** Milliseconds, 0 for none; unset is the default; anything else is refused rather than read as no limit. */
export function statementTimeoutFromEnv(value: string | undefined): number {
  const v = (value ?? '').trim();
  if (v === '') return DEFAULT_STATEMENT_TIMEOUT_MS;
  if (!/^\d+$/.test(v)) throw new Error(`PG_STATEMENT_TIMEOUT_MS must be a number of milliseconds (0: no limit), not "${value}"`);
  return Number(v);
}

/** PG_PREPARE_STATEMENTS: named statements unless it says off. */
export function prepareStatementsFromEnv(value: string | undefined): boolean {
  return onOffFromEnv('PG_PREPARE_STATEMENTS', value, true);
}

/** An on/off setting: unset is `unset`; on/off, 1/0, true/false, yes/no; anything else is refused. */
export function onOffFromEnv(name: string, value: string | undefined, unset: boolean): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return unset;
  if (['1', 'on', 'true', 'yes'].includes(v)) return true;
  if (['0', 'off', 'false', 'no'].includes(v)) return false;
  throw new Error(`${name} must be on or off, not "${value}"`);
}

export type { Store } from './store.ts';
