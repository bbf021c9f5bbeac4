/** The chat server as a library: build a node from its parts (see main.ts for the process entry). */
export { createChatServer, type ChatServer } from './app.ts';
export { loadConfig, ConfigError, type Config } from './config.ts';
export { createLogger, type Logger } from './logger.ts';
export { seedDemo, DEMO_USERS, DEMO_PASSWORD, type DemoData } from './seed.ts';
export type { ServerDeps, Services } from './services.ts';
export type { Store, Dialect } from './storage/store.ts';
export { createStore, type StoreOptions } from './storage/index.ts';
export { createFanout, type Fanout } from './fanout/index.ts';
