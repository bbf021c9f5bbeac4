/** Opens the configured store: PostgreSQL when a URL is given, else SQLite under the data directory. */
import path from 'node:path';
import { KyselyStore } from './kyselyStore.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';
import type { Store } from './store.ts';

export interface StoreOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  sqliteFile?: string;
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  pgSchema?: string;
  poolSize?: number;
}

export async function createStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const db = openPostgres(options.databaseUrl, {
      ...(options.pgSchema ? { schema: options.pgSchema } : {}),
      ...(options.poolSize ? { poolSize: options.poolSize } : {}),
    });
    return new KyselyStore(db, 'postgres');
  }
  const synchronous = options.sqliteSynchronous ?? (process.env.SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL');
  const db = openSqlite(options.sqliteFile ?? path.join(options.dataDir, 'chat.db'), synchronous);
  return new KyselyStore(db, 'sqlite');
}

export type { Store } from './store.ts';
