/**
 * `npm start`: one chat node from environment variables. Migrates the
 * database, seeds demo data on an empty one, listens, and shuts down
 * gracefully on SIGTERM/SIGINT (queued sends answered, sockets closed with 1001).
 */
import cluster from 'node:cluster';
import { startClusterFromEnv } from './cluster.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createChatServer } from './app.ts';
import { createFanout } from './fanout/index.ts';
import { createLogger } from './logger.ts';
import { seedDemo } from './seed.ts';
import { createStore } from './storage/index.ts';
import { pgErrorCode } from './storage/pgErrors.ts';

const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const store = await createStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    // Not the whole error: pg-pool hangs the client (its statement cache included) on it.
    onPoolError: (err) => logger.warn({ err: err.message, code: pgErrorCode(err) }, 'PostgreSQL: a pooled connection failed (the pool opens a new one)'),
  });
  await store.migrate({
    onBackfillFailed: (err) => logger.error({ err }, 'support rooms were not given their agent (tried again at the next start)'),
  });
  if (config.seedDemo && (await store.countUsers()) === 0) {
    try {
      await seedDemo(store);
      logger.info('seeded demo data (users client1, client2, cleaner1, cleaner2, support1; password "demo")');
    } catch (err) {
      // Another node may have seeded the same empty database at the same moment.
      logger.warn({ err }, 'demo seed skipped');
    }
  }
  // The one place that picks the fan-out: Redis when REDIS_URL is set, in-process otherwise.
  const fanout = createFanout(config, logger);
  const server = createChatServer({ config, store, bus: fanout.bus, presence: fanout.presence, sendCounter: fanout.sendCounter, loginAttempts: fanout.loginAttempts, staffRoomOpens: fanout.staffRoomOpens, logger });
  const port = await server.listen(config.port, config.host);
  logger.info({ port, host: config.host, database: store.dialect, fanout: fanout.mode }, 'listening');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    (async () => {
      await server.close();
      await fanout.close();
      await store.close();
    })().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

// WORKERS=N: this process becomes the cluster primary and forks N nodes running this file.
if (cluster.isPrimary && process.env.WORKERS) {
  startClusterFromEnv(process.env);
} else {
  main().catch((err: unknown) => {
    console.error('Server failed to start:', err);
    process.exit(1);
  });
}
