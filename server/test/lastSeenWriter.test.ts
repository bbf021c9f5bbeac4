/**
 * Last-seen times of users going offline together are written in one
 * transaction over a real store, every user of a batch is told the time
 * that was stored, and a failing write still answers (and is logged).
 */
import { describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import type { User } from '@ecc/protocol';
import { LastSeenWriter } from '../src/services/lastSeenWriter.ts';
import type { Store } from '../src/storage/store.ts';
import { DIALECTS } from './support/databases.ts';
import { storeFixture } from './storage/fixture.ts';
import { makeUser } from './storage/people.ts';

/** The store, recording each setLastSeen call's users. */
function recordingWrites(store: Store): { store: Pick<Store, 'setLastSeen'>; writes: number[][] } {
  const writes: number[][] = [];
  return {
    writes,
    store: {
      setLastSeen: async (userIds, at) => {
        writes.push([...userIds]);
        await store.setLastSeen(userIds, at);
      },
    },
  };
}

const silent = pino({ level: 'silent' });

for (const dialect of DIALECTS) {
  describe(`last-seen writer (${dialect})`, () => {
    const fixture = storeFixture(dialect, async (store) => {
      const users: User[] = [];
      for (let i = 0; i < 5; i++) users.push(await makeUser(store, 'client', `gone${i}`));
      return { users };
    });

    it('users going offline in the same tick share one write, and the time told is the time stored', async () => {
      const { db, users } = fixture;
      const { store, writes } = recordingWrites(db.store);
      const writer = new LastSeenWriter(store, silent);
      const times = await Promise.all(users.map((u) => writer.record(u.id)));
      expect(writes).toEqual([users.map((u) => u.id)]);
      expect(new Set(times.map((t) => t.toISOString())).size).toBe(1);
      const stored = await db.store.getLastSeen(users.map((u) => u.id));
      for (const user of users) expect(stored.get(user.id)).toBe(times[0]?.toISOString());
    });

    it('a user going offline while a write is under way is written next, with a later time', async () => {
      const { db, users } = fixture;
      const { store, writes } = recordingWrites(db.store);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // The first write waits for the test, so the second user arrives while it is under way.
      const gated: Pick<Store, 'setLastSeen'> = {
        setLastSeen: async (userIds, at) => {
          if (writes.length === 0) {
            writes.push([...userIds]);
            await released;
            return db.store.setLastSeen(userIds, at);
          }
          return store.setLastSeen(userIds, at);
        },
      };
      const writer = new LastSeenWriter(gated, silent);
      const [first, second] = users;
      const firstWrite = writer.record(first!.id);
      await vi.waitFor(() => expect(writes).toHaveLength(1));
      const secondWrite = writer.record(second!.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(writes).toHaveLength(1); // waits for the write under way
      release();
      const [t1, t2] = await Promise.all([firstWrite, secondWrite]);
      expect(writes).toEqual([[first!.id], [second!.id]]);
      expect(t2.getTime()).toBeGreaterThanOrEqual(t1.getTime());
      const stored = await db.store.getLastSeen([first!.id, second!.id]);
      expect(stored.get(first!.id)).toBe(t1.toISOString());
      expect(stored.get(second!.id)).toBe(t2.toISOString());
    });
  });
}

describe('last-seen writer when the database fails', () => {
  it('still answers with a time, logs the failure, and writes later batches', async () => {
    const logged: unknown[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    let fail = true;
    const written: number[][] = [];
    const writer = new LastSeenWriter(
      {
        setLastSeen: async (userIds) => {
          if (fail) throw new Error('database is down');
          written.push(userIds);
        },
      },
      logger,
    );
    const at = await writer.record(1);
    expect(at).toBeInstanceOf(Date);
    expect(logged).toMatchObject([{ msg: 'could not record last seen', users: 1 }]);
    fail = false;
    await writer.record(2);
    expect(written).toEqual([[2]]);
  });
});
