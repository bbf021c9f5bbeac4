/**
 * The few server internals the bench uses outside the wire contract — the
 * storage layer (to build a group room, seed a big history, and back the
 * Socket.IO peer with the same database code) and token hashing (the peer
 * accepts the same session tokens). Kept in this one module so the bench
 * reaches into the server package in exactly one place.
 */
export { createStore } from '../../server/src/storage/index.ts';
export { hashToken } from '../../server/src/auth/tokens.ts';
export type { Store, NewMessage } from '../../server/src/storage/store.ts';
