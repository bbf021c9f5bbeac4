/** Small builders shared by the storage suites: users, rooms and sends. */
import type { Role, User } from '@ecc/protocol';
import type { AppendResult, NewMessage, Store } from '../../src/storage/store.ts';

let counter = 0;

/** A user with a unique username (the hash is never checked here). */
export function makeUser(store: Store, role: Role, name: string = role): Promise<User> {
  counter += 1;
  return store.createUser({ username: `${name}-${process.pid}-${counter}`, displayName: `${name} ${counter}`, role, passwordHash: 'x' });
}

/** A client and a cleaner sharing a fresh job room (through assignJob, as in the app). */
export async function jobRoom(store: Store): Promise<{ client: User; cleaner: User; roomId: number; jobId: number }> {
  const client = await makeUser(store, 'client');
  const cleaner = await makeUser(store, 'cleaner');
  const job = await store.createJob({ clientId: client.id, title: 'Kitchen deep clean' });
  const assigned = await store.assignJob(job.id, cleaner.id, 'Cleaner assigned');
  if (!assigned) throw new Error('job was not assigned');
  return { client, cleaner, roomId: assigned.roomId, jobId: job.id };
}

let clientIds = 0;

/** A text send with a fresh clientId. */
export function text(roomId: number, sender: User, content: string, extra: Partial<NewMessage> = {}): NewMessage {
  clientIds += 1;
  return { roomId, senderId: sender.id, type: 'text', content, clientId: `c-${process.pid}-${clientIds}`, ...extra };
}

export function system(roomId: number, content: string): NewMessage {
  return { roomId, senderId: null, type: 'system', content, clientId: null };
}

/** The stored message of a result that must have succeeded. */
export function stored(result: AppendResult | undefined) {
  if (!result?.ok) throw new Error(`append failed: ${JSON.stringify(result)}`);
  return result.message;
}

/** Appends one message and returns it. */
export async function send(store: Store, message: NewMessage) {
  return stored((await store.appendMessages([message]))[0]);
}

/** A general room of `members` with no messages yet. */
export function plainRoom(store: Store, members: User[], name = 'Team'): Promise<number> {
  return store.createRoom({ type: 'general', name, jobId: null, participantIds: members.map((m) => m.id) });
}

/** Alice (a client) and Bob (a cleaner) sharing a general room with no messages yet. */
export async function aliceAndBob(store: Store): Promise<{ alice: User; bob: User; roomId: number }> {
  const alice = await makeUser(store, 'client', 'alice');
  const bob = await makeUser(store, 'cleaner', 'bob');
  return { alice, bob, roomId: await plainRoom(store, [alice, bob]) };
}
