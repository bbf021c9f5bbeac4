/**
 * The storage microbenchmark runs the real store on a real SQLite file and
 * reports a CPU figure per message for every measured round.
 */
import { describe, expect, it } from 'vitest';
import { measureStoreCost } from './storeCost.ts';

describe('measureStoreCost', () => {
  it('stores every message of each round and prices it, for the schema and alternately with an extra index', async () => {
    const result = await measureStoreCost({
      db: 'sqlite',
      users: 20,
      batchSize: 5,
      messages: 50,
      rounds: 3,
      extraIndex: 'create index bench_extra on messages(room_id, sender_id, seq)',
    });
    expect(result.asMigrated).toHaveLength(3);
    expect(result.withExtraIndex).toHaveLength(3);
    for (const r of [...result.asMigrated, ...(result.withExtraIndex ?? [])]) {
      expect(r.stored).toBe(50);
      // Every message is then read by its recipient, in seq order and batches: each (room, reader)
      // of a batch moves its mark once.
      expect(r.readPairs).toBeGreaterThan(0);
      expect(r.readsMoved).toBe(r.readPairs);
      expect(r.cpuUsPerRead).toBeGreaterThan(0);
      expect(r.cpuUsPerMessage).toBeGreaterThan(0);
      expect(r.wallUsPerMessage).toBeGreaterThan(0);
    }
  }, 60_000);
});
