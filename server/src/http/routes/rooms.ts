/**
 * POST /api/rooms/:id/join → `{room}` (an addition): support staff step into a conversation they are
 * not in — a job room, to settle a dispute between client and cleaner, or a support room whose agent
 * is away. The staff member becomes a participant, with a notice everyone sees (nobody is read by
 * someone they do not know is there), and every socket of everyone in the room, the joiner's
 * included, on any node, is told at once (RoomAnnouncer.announce, as a new room is).
 */
import { ChatError } from '@ecc/protocol';
import { OnceEvery } from '../../onceEvery.ts';
import type { Services } from '../../services.ts';
import { drainBody } from '../body.ts';
import { requireSession } from '../guard.ts';
import { sendJson } from '../respond.ts';
import type { Router } from '../router.ts';
import { takeStaffRoomOpen } from './staffPace.ts';

/** A join repeated by someone in the room already is told again at most this often, per room and person. */
const RETOLD_EVERY_MS = 10_000;
/** Entries kept before the oldest are let go (a repeat then may be told again: harmless). */
const RETOLD_KEPT = 10_000;

/** The system message of `name` joining a room. */
export const joinedNotice = (name: string): string => `${name} from support joined the conversation`;

export function registerRoomRoutes(router: Router, services: Services): void {
  const { store, rooms, config } = services;
  // A held-down click or a scripted loop is one fan-out to the room per window, not one per request
  // (each reads every participant's view), on this node.
  const tellAgain = new OnceEvery(RETOLD_EVERY_MS, RETOLD_KEPT);

  router.add('POST', '/api/rooms/:id/join', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    // Before the room is looked at (whether a room exists is no business of anyone else) and before the
    // body, which the role does not depend on: anyone else is told who may do this, whatever they sent.
    if (user.role !== 'support') throw new ChatError('FORBIDDEN', 'Only support staff can join a conversation');
    await takeStaffRoomOpen(services, user.id);
    await drainBody(ctx.req, config.limits.maxJsonBodyBytes);
    const roomId = ctx.params.id ?? 0;
    const outcome = await store.joinRoom(roomId, user.id, joinedNotice(user.displayName));
    if (outcome.kind === 'not_found') throw new ChatError('NOT_FOUND', 'No such room');
    if (outcome.kind === 'closed') throw new ChatError('ROOM_CLOSED', 'This conversation is closed');
    if (outcome.kind === 'joined') {
      // The room frame first (three people), then the notice as a message with everyone's counts: on the
      // joiner's node the room frame makes the hub take the room in (hub.ts, room_changed), so every
      // later message reaches the joiner's sockets too. The notice itself rides on the joiner's room
      // frame: a node that did not hear the room before listens to it only from that frame on, after
      // the notice went by on the room topic (the other copy is dropped by seq: seenSeqs.ts).
      await rooms.announce(roomId, { counts: false, firstMessage: outcome.notice, firstMessageFor: user.id });
      if (!(await rooms.deliverMessage(outcome.notice))) await rooms.announce(roomId);
    } else {
      // In the room already: a retry, maybe of a join whose announcement failed after it was stored
      // (a 500), and nothing tells whether it did. The room is announced again: room frames carry the
      // whole room and counts are versioned, so a second one changes nothing where the first arrived.
      // Rare (a retry, a double click), so everyone rather than guessing who missed it; once per window.
      if (tellAgain.take(`${roomId}:${user.id}`)) await rooms.announce(roomId);
    }
    sendJson(ctx.res, 200, { room: await rooms.roomFor(roomId, user.id) });
  });
}
