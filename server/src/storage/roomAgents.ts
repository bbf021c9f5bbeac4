/**
 * Gives support rooms without one their agent (`rooms.agent_id`, migration 012): the support participant who
 * was in the room first (the agent was placed in it with the room; anyone else joined later), the lower user
 * id on a tie. Those are the rooms opened before 012 (and by nodes of the previous version until the pass
 * over them finishes: rooms they open after it keep none).
 */
import { sql, type Kysely } from 'kysely';
import { inTurn } from './migrationTurn.ts';
import { retryDeadlocks } from './pgErrors.ts';
import type { Dialect } from './store.ts';

/**
 * Rooms per transaction: an old node's send to one of them (its rooms.last_seq) waits for one batch, about 80 ms
 * on the test machine, where one UPDATE of 400,000 rooms held every statement on rooms for seconds.
 */
export const ROOM_AGENT_BATCH = 5000;

/** Recorded in schema_migrations when a pass over every support room has finished: later starts skip it. */
export const ROOM_AGENT_BACKFILL_DONE = '012b_rooms_agent_backfill';

/** Tries per batch: PostgreSQL may still pick this batch to abort in a deadlock with an old node's statement. */
const BATCH_ATTEMPTS = 5;

const recorded = async (trx: Kysely<unknown>) =>
  (await sql`select 1 from schema_migrations where id = ${ROOM_AGENT_BACKFILL_DONE}`.execute(trx)).rows.length > 0;

/**
 * One pass in id order, one batch per transaction and turn (a node starting meanwhile waits between batches,
 * not for all of them), then the pass is recorded; nothing to do once it is (one primary-key read). A room
 * with no support participant keeps none and is not written. Returns the rooms given their agent.
 */
export async function backfillRoomAgents(db: Kysely<unknown>, dialect: Dialect): Promise<number> {
  if (await recorded(db)) return 0;
  let after = 0;
  let given = 0;
  for (;;) {
    const batch = await retryDeadlocks(() => inTurn(db, dialect, (trx) => giveBatch(trx, dialect, after)), BATCH_ATTEMPTS);
    given += batch.given;
    if (batch.last) return given;
    after = batch.upto;
  }
}


/** `last`: the pass is over (recorded here or by another node). */
type Batch = { upto: number; given: number; last: boolean };

async function giveBatch(trx: Kysely<unknown>, dialect: Dialect, after: number): Promise<Batch> {
  // Another node finished the pass while this one waited for its turn.
  if (await recorded(trx)) return { upto: after, given: 0, last: true };
  // The batch's id range first: as `id in (… limit n)` PostgreSQL hashed the batch and scanned all of rooms.
  const range = await sql<{ upto: number | null; n: number | string }>`select max(id) as upto, count(*) as n from (
      select id from rooms where type = 'support' and agent_id is null and id > ${after} order by id limit ${ROOM_AGENT_BATCH}
    ) batch`.execute(trx);
  const { upto, n } = range.rows[0] ?? { upto: null, n: 0 };
  let given = 0;
  if (upto !== null) {
    const inBatch = sql`type = 'support' and agent_id is null and id > ${after} and id <= ${upto}`;
    // Locked in id order, as send batches lock rooms: the UPDATE alone locks them in its scan's order (a bitmap
    // or sequential scan: where they lie in the table), which deadlocked with a send holding a lower id and
    // waiting for a higher one. NO KEY: as the UPDATE's own lock, which an insert referencing the room (an
    // upload, a message, a participant: their foreign key's KEY SHARE) does not wait for; a full FOR UPDATE
    // made them wait for the batch. SQLite has one writer and no FOR UPDATE.
    if (dialect === 'postgres') await sql`select id from rooms where ${inBatch} order by id for no key update`.execute(trx);
    const updated = await sql`update rooms set agent_id = (
        select p.user_id from participants p join users u on u.id = p.user_id
        where p.room_id = rooms.id and u.role = 'support'
        order by p.joined_at, p.user_id limit 1
      ) where ${inBatch} and exists (
        select 1 from participants p join users u on u.id = p.user_id where p.room_id = rooms.id and u.role = 'support'
      )`.execute(trx);
    given = Number(updated.numAffectedRows ?? 0);
  }
  if (upto !== null && Number(n) === ROOM_AGENT_BATCH) return { upto, given, last: false };
  await sql`insert into schema_migrations (id, applied_at) values (${ROOM_AGENT_BACKFILL_DONE}, ${new Date().toISOString()})`.execute(trx);
  return { upto: upto ?? after, given, last: true };
}
