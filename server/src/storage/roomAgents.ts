/**
 * Gives support rooms without one their agent (`rooms.agent_id`, migration 012): the support participant who
 * was in the room first (the agent was placed in it with the room; anyone else joined later), the lower user
 * id on a tie. Those are the rooms opened before 012, and by nodes of the previous version during a deploy.
 */
import { sql, type Kysely } from 'kysely';
import { inTurn } from './migrationTurn.ts';
import type { Dialect } from './store.ts';

/**
 * Rooms per transaction: an old node's send to one of them (its rooms.last_seq) waits for one batch, tens of
 * milliseconds, where one UPDATE of 400,000 rooms held every statement on rooms for seconds.
 */
export const ROOM_AGENT_BATCH = 5000;

/**
 * Runs at every start after the migrations, in id order, one batch per transaction and turn (a node starting
 * meanwhile waits between batches, not for all of them). Rooms already given one are skipped, so once done
 * this is a scan of rooms that finds none. A room with no support participant keeps none.
 */
export async function backfillRoomAgents(db: Kysely<unknown>, dialect: Dialect): Promise<number> {
  let after = 0;
  let given = 0;
  for (;;) {
    const batch = await inTurn(db, dialect, async (trx) => {
      // The batch's id range first: as `id in (… limit n)` PostgreSQL hashed the batch and scanned all of rooms.
      const range = await sql<{ upto: number | null; n: number | string }>`select max(id) as upto, count(*) as n from (
          select id from rooms where type = 'support' and agent_id is null and id > ${after} order by id limit ${ROOM_AGENT_BATCH}
        ) batch`.execute(trx);
      const { upto, n } = range.rows[0] ?? { upto: null, n: 0 };
      if (upto === null) return { upto: after, n: 0 };
      await sql`update rooms set agent_id = (
          select p.user_id from participants p join users u on u.id = p.user_id
          where p.room_id = rooms.id and u.role = 'support'
          order by p.joined_at, p.user_id limit 1
        ) where type = 'support' and agent_id is null and id > ${after} and id <= ${upto}`.execute(trx);
      return { upto, n: Number(n) };
    });
    given += batch.n;
    if (batch.n < ROOM_AGENT_BATCH) return given;
    after = batch.upto;
  }
}
