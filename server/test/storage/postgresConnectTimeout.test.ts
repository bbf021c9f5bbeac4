/**
 * A PostgreSQL server that accepts connections and then says nothing (a
 * dropped network, a hung host) must not hold requests for minutes: the
 * query waiting for a connection fails after the connect timeout. No real
 * PostgreSQL is needed: a TCP server that never answers stands in for it.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openPostgres } from '../../src/storage/postgres.ts';
import { DIALECTS, TEST_DATABASE_URL } from '../support/databases.ts';

describe('PostgreSQL connect timeout', () => {
  const sockets = new Set<net.Socket>();
  let silent: net.Server | undefined;
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  });

  it('fails a query whose connection cannot be opened, instead of waiting for the TCP timeout', async () => {
    silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const db = openPostgres(`postgres://nobody@127.0.0.1:${port}/none`, { connectTimeoutMs: 300, onPoolError: () => {} });
    try {
      // Without a connect timeout this waits as long as the silent server keeps the connection: the test times out.
      await expect(sql`select 1`.execute(db)).rejects.toThrow(/timeout/i);
      expect(sockets.size).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it.runIf(DIALECTS.includes('postgres'))('also fails a query that waits that long for a busy pool to free a connection (pg-pool applies it to the queue)', async () => {
    const db = openPostgres(TEST_DATABASE_URL, { poolSize: 1, connectTimeoutMs: 300 });
    try {
      const busy = sql`select pg_sleep(1)`.execute(db);
      await expect(sql`select 1`.execute(db)).rejects.toThrow(/timeout exceeded when trying to connect/);
      await busy;
    } finally {
      await db.destroy();
    }
  });
});
