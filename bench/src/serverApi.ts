/**
 * The few server internals the bench uses outside the wire contract — the
 * storage layer (to seed a big history in bulk, to back the Socket.IO
 * peer with the same database code, and SQLite's synchronous mode for the
 * report) and token hashing (the peer accepts the
 * same session tokens). Kept in this one module so the bench reaches into
 * the server package in exactly one place.
 */
export { createStore, synchronousFromEnv } from '../../server/src/storage/index.ts';
export { KyselyStore } from '../../server/src/storage/kyselyStore.ts';
export { hashToken } from '../../server/src/auth/tokens.ts';
export type { ReadMark, Store } from '../../server/src/storage/store.ts';
