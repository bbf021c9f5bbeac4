/** PostgreSQL through a pg Pool; an optional schema isolates tests. */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import type { Database } from './schema.ts';
import { pgErrorCode, STALE_PREPARED_PLAN } from './pgErrors.ts';

// COUNT(*) and bigint ids arrive as int8; they fit a JS number in this application.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Statements with few parameters are sent as named (prepared) statements, so
 * each connection parses and plans a hot query once, not on every call (the
 * planning cost dominates short index lookups). The batch statements pass
 * lists as array parameters (batchStatements.ts), so they qualify. Statements
 * with long IN or VALUES lists stay unnamed: their texts vary with the list
 * length, and every prepared statement lives as long as its connection.
 */
const MAX_PREPARED_PARAMS = 16;

/**
 * A pooled connection while Kysely holds it. pg-pool listens for a
 * connection's `error` only while it is idle; one that fails while checked
 * out, or between its release and the pool's listener (the server ends it:
 * `pg_terminate_backend`, a failover), emitted `error` with no listener, and
 * Node ended the process. So every connection has a listener for its whole
 * life (`listenForErrors`): the failure is reported, and a connection that
 * failed is closed on release instead of going back to the pool.
 */
function held(client: pg.PoolClient, prepare: boolean, broken: WeakSet<pg.PoolClient>): PostgresPoolClient {
  const inner = prepare ? preparing(client) : plain(client);
  return { query: inner.query, release: (destroy?: boolean) => inner.release(destroy === true || broken.has(client)) };
}

function plain(client: pg.PoolClient): PostgresPoolClient {
  return { query: client.query.bind(client) as unknown as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy === true) };
}

function preparing(client: pg.PoolClient): PostgresPoolClient {
  // A connection whose prepared statements went stale is closed on release; the pool opens a fresh one.
  let stale = false;
  // pg's own result and cursor types are what Kysely's structural types describe; only the overloads differ.
  type Results<R> = Promise<PostgresQueryResult<R>>;
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Results<R>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Results<R> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor as unknown as pg.Submittable) as unknown as PostgresCursor<R>;
    const values = [...(parameters ?? [])];
    if (values.length > MAX_PREPARED_PARAMS || /^\s*(begin|commit|rollback|savepoint|release)/i.test(sqlOrCursor)) {
      return client.query(sqlOrCursor, values) as unknown as Results<R>;
    }
    const name = `k${createHash('sha1').update(sqlOrCursor).digest('base64url')}`;
    return client.query({ name, text: sqlOrCursor, values }).catch((err: unknown) => {
      if (pgErrorCode(err) === STALE_PREPARED_PLAN) stale = true;
      throw err;
    }) as unknown as Results<R>;
  }
  return { query, release: (destroy?: boolean) => client.release(destroy === true || stale) };
}

/** Kysely over a pg Pool of `poolSize` connections, hot statements prepared per connection. */
export interface PostgresOptions {
  schema?: string;
  poolSize?: number;
  /** Name hot statements so each connection plans them once (default true; false behind PgBouncer < 1.21 in transaction mode). */
  prepareStatements?: boolean;
  /** A pooled connection failed, idle or in use (e.g. PostgreSQL restarted); stderr by default. */
  onPoolError?: (err: Error) => void;
  /**
   * How long a query may wait for a pooled connection before it fails (default 10 s): for a new
   * connection to open, and also for a busy one to come free when all `poolSize` are in use (pg-pool).
   */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL's `statement_timeout` for every pooled connection (sent when it opens; 0 or absent:
   * the server's own setting): a statement running longer, e.g. waiting on a lock a stuck session
   * holds, is cancelled and fails as any query does, instead of holding its connection and its
   * request without end. Migrations lift it for their transaction (migrations.ts).
   */
  statementTimeoutMs?: number;
}

export function openPostgres(connectionString: string, options: PostgresOptions = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    // An unreachable server (packets dropped, not refused) would hold every request for the
    // operating system's TCP timeout, minutes; fail it instead (a send is retried by its clientId).
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // And notice a server gone silent under an open connection.
    keepAlive: true,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const onError = options.onPoolError ?? ((err: Error) => console.error(`PostgreSQL: a pooled connection failed: ${err.message}`));
  // A client's error must not crash the process: the pool drops that client and the next query opens a new one.
  pool.on('error', onError);
  const prepare = options.prepareStatements !== false;
  const broken = new WeakSet<pg.PoolClient>();
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      broken.add(client);
      onError(err);
    });
  });
  const heldPool: PostgresPool = { connect: async () => held(await pool.connect(), prepare, broken), end: () => pool.end() };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: heldPool }) });
}
