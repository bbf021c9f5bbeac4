/**
 * Kysely's SQLite driver with a first-come-first-served queue for its one
 * connection. Kysely's own mutex wakes EVERY waiter on each release (they
 * loop until one wins), so with a thousand sockets connecting at once each
 * query paid for all the others: a third of a connect storm's CPU went to
 * lock/unlock. Here a release hands the connection to the next waiter only.
 */
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type QueryCompiler, type SqliteDialectConfig } from 'kysely';

class QueuedSqliteDriver implements Driver {
  private readonly inner: SqliteDriver;
  private held = false;
  private readonly waiters: (() => void)[] = [];

  constructor(config: SqliteDialectConfig) {
    this.inner = new SqliteDriver(config);
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.held) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.held = true;
    // Uncontended now: the inner mutex is free whenever the queue lets one through.
    return this.inner.acquireConnection();
  }

  async releaseConnection(): Promise<void> {
    await this.inner.releaseConnection();
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }

  beginTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.beginTransaction(connection);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint(connection, name, compile);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

export class QueuedSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new QueuedSqliteDriver(this.config);
  }
}
