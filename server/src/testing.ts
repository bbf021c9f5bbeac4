/**
 * `@ecc/server/testing`: a real chat server on a free port with a fresh
 * database (SQLite by default, or PostgreSQL) and the demo data, for the
 * integration tests of every package.
 *
 *   const server = await startTestServer();
 *   const { user, token } = await server.login('client1');
 *   new WebSocket(server.wsUrlFor(user.id), { headers: { Authorization: `Bearer ${token}` } });
 *   await server.close();
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoginResponse, type User } from '@ecc/protocol';
import { createChatServer, type ChatServer } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import type { Bus, PresenceTracker } from './fanout/bus.ts';
import { MemoryBus, MemoryPresence } from './fanout/memory.ts';
import { createLogger, type Logger } from './logger.ts';
import { DEMO_PASSWORD, seedDemo, type DemoData } from './seed.ts';
import type { Dialect, Store } from './storage/store.ts';
import { createTestStore } from '../test/support/databases.ts';

/** The dialects integration suites loop over (PostgreSQL required under CI=true). */
export { DIALECTS } from '../test/support/databases.ts';
/** EXIF naming a JPEG's or PNG's orientation (and where to put it), for browser tests of photos taken sideways. */
export { afterFrame, exifSegment, pngExif } from '../test/support/images.ts';

export interface TestServerOptions {
  /** Database of a fresh store (ignored when `store` is given). Default sqlite. */
  dialect?: Dialect;
  /** Seed the demo accounts and jobs (default true). */
  seed?: boolean;
  /** Configuration overrides; `limits` are merged with the defaults. */
  config?: Partial<Omit<Config, 'limits'>> & { limits?: Partial<Config['limits']> };
  bus?: Bus;
  presence?: PresenceTracker;
  /** Use this store (not closed by `close()`); default: a fresh one, dropped on close. */
  store?: Store;
  /**
   * What the server is given in place of its store (migrated and seeded first): a Proxy failing some calls
   * as a failing database would (as failures.test.ts does), the store itself still closed as it would be.
   */
  wrapStore?: (store: Store) => Store;
  /** Log here (e.g. to read what the server logged); default: one at `config.logLevel`. */
  logger?: Logger;
}

export interface TestServer {
  /** http://127.0.0.1:port */
  url: string;
  /** ws://127.0.0.1:port */
  wsUrl: string;
  port: number;
  store: Store;
  server: ChatServer;
  config: Config;
  /** The demo data when seeded. */
  demo: DemoData | null;
  /** The socket URL of a user: ws://127.0.0.1:port/ws/user/{id}/ */
  wsUrlFor(userId: number): string;
  /** Signs in over HTTP (password `demo` by default). */
  login(username: string, password?: string): Promise<{ user: User; token: string; cookie: string }>;
  /** Stops the server and removes its database and files. */
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ecc-test-'));
  const base = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const { limits, ...rest } = options.config ?? {};
  const config: Config = { ...base, ...rest, limits: { ...base.limits, ...limits } };

  let store: Store;
  let dropStore: (() => Promise<void>) | null = null;
  if (options.store) {
    store = options.store;
  } else {
    const created = await createTestStore(options.dialect ?? 'sqlite');
    store = created.store;
    dropStore = created.cleanup;
  }
  await store.migrate();
  const demo = options.seed === false ? null : await seedDemo(store);
  const logger = options.logger ?? createLogger(config.logLevel);
  const bus = options.bus ?? new MemoryBus();
  const presence = options.presence ?? new MemoryPresence();
  const served = options.wrapStore ? options.wrapStore(store) : store;
  const server = createChatServer({ config, store: served, bus, presence, logger });
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}`;
  const usedStore = served;

  return {
    url,
    wsUrl,
    port,
    store: usedStore,
    server,
    config,
    demo,
    wsUrlFor: (userId) => `${wsUrl}/ws/user/${userId}/`,
    async login(username, password = DEMO_PASSWORD) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (!res.ok) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
      const body = LoginResponse.parse(await res.json());
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      return { ...body, cookie };
    },
    async close() {
      await server.close();
      if (!options.bus) await bus.close();
      if (!options.presence) await presence.close();
      if (dropStore) await dropStore();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
