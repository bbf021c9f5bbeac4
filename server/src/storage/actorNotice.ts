/**
 * A system message whose doing it is (Message.actorId, messages.actor_id): a job's notice (who moved the
 * job) and a support room's greeting (who opened the room). Names are not unique, so the words cannot say.
 */
import type { Kysely } from 'kysely';
import type { Message } from '@ecc/protocol';
import type { AppendInTransaction } from './jobs.ts';
import type { Database } from './schema.ts';

/**
 * Stores the system message `content` in `roomId` inside `trx`, recording `actorId` as whose doing it is.
 * Set by its own update after the insert: the append (the send path's, shared) stays as it is, and only
 * these rare notices pay one more statement. Null when the append did not store it.
 */
export async function appendNoticeBy(trx: Kysely<Database>, append: AppendInTransaction, roomId: number, content: string, actorId: number): Promise<Message | null> {
  const [result] = await append(trx, [{ roomId, senderId: null, type: 'system', content, clientId: null }]);
  if (!result?.ok) return null;
  await trx.updateTable('messages').set({ actor_id: actorId }).where('id', '=', result.message.id).execute();
  return { ...result.message, actorId };
}
