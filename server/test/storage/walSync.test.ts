/**
 * Sends on SQLite commit without SQLite's own sync and wait for the WAL's
 * sync off the event loop (walSync.ts): no send may be answered before the
 * sync that covers its commit, and a failed sync answers no send again.
 * The disk's timing is the one thing faked here (a gate in front of the real
 * fdatasync), to see who waits for whom.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KyselyStore } from '../../src/storage/kyselyStore.ts';
import { openSqlite } from '../../src/storage/sqlite.ts';
import { WalSync } from '../../src/storage/walSync.ts';
import { makeUser, plainRoom, text } from './people.ts';

/** A WAL sync whose every fdatasync waits until the test lets it go. */
class GatedWalSync extends WalSync {
  readonly started: Array<() => void> = [];
  private onStart: (() => void) | null = null;

  protected override datasync(file: FileHandle): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.started.push(() => file.datasync().then(resolve, reject));
      this.onStart?.();
    });
  }

  /** Resolves once `n` syncs have begun. */
  syncsBegun(n: number): Promise<void> {
    if (this.started.length >= n) return Promise.resolve();
    return new Promise((resolve) => {
      this.onStart = () => {
        if (this.started.length >= n) resolve();
      };
    });
  }
}

/** Settled yet? (after every callback already due has run) */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ecc-walsync-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A store on a file in FULL mode whose WAL sync is `walSync`. */
async function storeWith(walSync: (walFile: string) => WalSync) {
  const file = path.join(dir, 'chat.db');
  const { db, ...sqlite } = openSqlite(file, 'FULL');
  await sqlite.walSync?.close();
  const store = new KyselyStore(db, 'sqlite', { ...sqlite, walSync: walSync(`${file}-wal`) });
  await store.migrate();
  const alice = await makeUser(store, 'client', 'alice');
  const bob = await makeUser(store, 'cleaner', 'bob');
  const roomId = await plainRoom(store, [alice, bob]);
  return { store, alice, roomId };
}

describe('WAL sync of the SQLite send path', () => {
  it('answers a send only once the WAL is synced, though other queries see it committed', async () => {
    const gated = new GatedWalSync(path.join(dir, 'chat.db-wal'));
    const { store, alice, roomId } = await storeWith(() => gated);
    try {
      const answer = store.appendMessages([text(roomId, alice, 'The key is under the mat')]);
      await gated.syncsBegun(1);
      expect(await settled(answer)).toBe(false);
      // The commit itself is done: the connection is free for others while the disk works.
      const page = await store.history({ roomId, limit: 10 });
      expect(page.messages.map((m) => m.content)).toEqual(['The key is under the mat']);
      gated.started[0]?.();
      const [result] = await answer;
      expect(result?.ok && result.message.seq).toBe(1);
    } finally {
      gated.started.forEach((go) => go());
      await store.close();
    }
  });

  it('makes a send asked for while a sync runs wait for a sync that began after its commit', async () => {
    const gated = new GatedWalSync(path.join(dir, 'chat.db-wal'));
    const { store, alice, roomId } = await storeWith(() => gated);
    try {
      const first = store.appendMessages([text(roomId, alice, 'first')]);
      await gated.syncsBegun(1);
      const second = store.appendMessages([text(roomId, alice, 'second')]);
      const third = store.appendMessages([text(roomId, alice, 'third')]);
      gated.started[0]?.();
      expect((await first)[0]?.ok).toBe(true);
      // The first sync may have begun before their commits: they wait for the next one, which they share.
      await gated.syncsBegun(2);
      expect(await settled(second)).toBe(false);
      expect(await settled(third)).toBe(false);
      gated.started[1]?.();
      const results = [...(await second), ...(await third)];
      expect(results.map((r) => r.ok && r.message.content)).toEqual(['second', 'third']);
      expect(gated.started).toHaveLength(2);
    } finally {
      gated.started.forEach((go) => go());
      await store.close();
    }
  });

  it('answers no send again after a sync failed (nothing since can be proved on disk)', async () => {
    // A WAL path that cannot be opened: the sync fails for real.
    const { store, alice, roomId } = await storeWith(() => new WalSync(path.join(dir, 'missing', 'chat.db-wal')));
    try {
      await expect(store.appendMessages([text(roomId, alice, 'one')])).rejects.toThrow(/ENOENT/);
      await expect(store.appendMessages([text(roomId, alice, 'two')])).rejects.toThrow(/ENOENT/);
      // What /healthz asks: the node must be taken out of the balancer and restarted.
      await expect(store.ping()).rejects.toThrow(/ENOENT/);
    } finally {
      await store.close();
    }
  });

  it('syncs for real by default: sends on a FULL file store are answered and kept across a reopen', async () => {
    const file = path.join(dir, 'chat.db');
    const { db, ...sqlite } = openSqlite(file, 'FULL');
    expect(sqlite.walSync).not.toBeNull();
    const store = new KyselyStore(db, 'sqlite', sqlite);
    await store.migrate();
    const alice = await makeUser(store, 'client', 'alice');
    const roomId = await plainRoom(store, [alice]);
    const results = await Promise.all([1, 2, 3].map((n) => store.appendMessages([text(roomId, alice, `m${n}`)])));
    expect(results.flat().every((r) => r.ok)).toBe(true);
    await store.close();
    const { db: again, ...reopened } = openSqlite(file, 'FULL');
    const store2 = new KyselyStore(again, 'sqlite', reopened);
    try {
      const page = await store2.history({ roomId, limit: 10 });
      expect(page.messages.map((m) => m.content).sort()).toEqual(['m1', 'm2', 'm3']);
    } finally {
      await store2.close();
    }
  });
});
