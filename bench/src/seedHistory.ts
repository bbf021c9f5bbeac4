/**
 * Seeds one room with a very large history for the history benchmark: a
 * single INSERT … SELECT over a generated series (recursive CTE on SQLite,
 * generate_series on PostgreSQL), so a million messages take seconds, then
 * the room's seq and unread bookkeeping are set to match.
 */
import { sql } from 'kysely';
import { LatencyHistogram } from './histogram.ts';
import { createStore, KyselyStore } from './serverApi.ts';

export interface SeededRoom {
  roomId: number;
  seconds: number;
}

export async function seedHistoryRoom(
  connection: { databaseUrl: string | undefined; dataDir: string },
  memberIds: [number, number],
  total: number,
): Promise<SeededRoom> {
  const store = await createStore(connection);
  try {
    if (!(store instanceof KyselyStore)) throw new Error('bulk seeding needs the Kysely store');
    const [author] = memberIds;
    const roomId = await store.createRoom({ type: 'general', name: 'Bench · history', jobId: null, participantIds: memberIds });
    const started = performance.now();
    const at = new Date().toISOString();
    await store.db.transaction().execute(async (trx) => {
      if (store.dialect === 'sqlite') {
        await sql`with recursive series(n) as (select 1 union all select n + 1 from series where n < ${total})
          insert into messages (room_id, seq, sender_id, type, content, client_id, created_at)
          select ${roomId}, n, ${author}, 'text', 'seeded message ' || n || ' about keys, times and extras', 'seed-' || n, ${at}
          from series`.execute(trx);
      } else {
        await sql`insert into messages (room_id, seq, sender_id, type, content, client_id, created_at)
          select ${roomId}, n, ${author}, 'text', 'seeded message ' || n || ' about keys, times and extras', 'seed-' || n, ${at}
          from generate_series(1, ${total}::int) as n`.execute(trx);
      }
      await trx.updateTable('rooms').set({ last_seq: total, updated_at: at }).where('id', '=', roomId).execute();
      // The author sent everything: none of it is unread for them (the other member has all of it unread).
      await trx
        .updateTable('participants')
        .set({ own_after_read: total })
        .where('room_id', '=', roomId)
        .where('user_id', '=', author)
        .execute();
    });
    if (store.dialect === 'postgres') await sql`analyze messages`.execute(store.db);
    return { roomId, seconds: (performance.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}

/**
 * Times `store.history` directly, in this process (no socket, no JSON), to
 * separate the database's share of a history request from the transport's.
 */
export async function timeStoreHistory(
  connection: { databaseUrl: string | undefined; dataDir: string },
  roomId: number,
  total: number,
  requests: number,
  limit: number,
  warmup: number,
): Promise<LatencyHistogram> {
  const store = await createStore(connection);
  const latency = new LatencyHistogram();
  try {
    for (let i = 0; i < warmup + requests; i += 1) {
      const beforeSeq = 1 + Math.floor(Math.random() * total);
      const t0 = performance.now();
      await store.history({ roomId, beforeSeq, limit });
      if (i >= warmup) latency.record(performance.now() - t0);
    }
    return latency;
  } finally {
    await store.close();
  }
}
