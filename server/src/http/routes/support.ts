/**
 * POST /api/support → `{room}`: the caller's support room, created on first
 * use with the least busy support agent. Support staff get 403: they answer
 * support rooms, they do not open them.
 */
import { ChatError } from '@ecc/protocol';
import type { Services } from '../../services.ts';
import { KeyedMutex } from '../../services/keyedMutex.ts';
import { drainBody } from '../body.ts';
import { requireSession } from '../guard.ts';
import { sendJson } from '../respond.ts';
import type { Router } from '../router.ts';

export function registerSupportRoutes(router: Router, services: Services): void {
  const { store, rooms, config } = services;
  const perUser = new KeyedMutex();

  router.add('POST', '/api/support', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    await drainBody(ctx.req, config.limits.maxJsonBodyBytes);
    if (user.role === 'support') throw new ChatError('FORBIDDEN', 'Support staff cannot open a support room');
    const room = await perUser.run(user.id, async () => {
      const existing = await store.findSupportRoom(user.id);
      if (existing !== null) return rooms.roomFor(existing, user.id);
      const agent = await store.pickSupportAgent();
      if (!agent) throw new ChatError('UNAVAILABLE', 'No support agent is available right now');
      const roomId = await store.createRoom({
        type: 'support',
        name: `Support · ${user.displayName}`,
        jobId: null,
        participantIds: [user.id, agent.id],
      });
      await rooms.postSystemMessage(roomId, `${agent.displayName} from support will help you here`);
      await rooms.announce(roomId);
      return rooms.roomFor(roomId, user.id);
    });
    sendJson(ctx.res, 200, { room });
  });
}
