/**
 * POST /api/support → `{room}`: the caller's support room, created on first
 * use with the least busy support agent. Support staff get 403: they answer
 * support rooms, they do not open them.
 */
import { ChatError } from '@ecc/protocol';
import type { Services } from '../../services.ts';
import { drainBody } from '../body.ts';
import { requireSession } from '../guard.ts';
import { sendJson } from '../respond.ts';
import type { Router } from '../router.ts';

export function registerSupportRoutes(router: Router, services: Services): void {
  const { store, rooms, config } = services;

  router.add('POST', '/api/support', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    await drainBody(ctx.req, config.limits.maxJsonBodyBytes);
    if (user.role === 'support') throw new ChatError('FORBIDDEN', 'Support staff cannot open a support room');
    // The store opens at most one support room per user, however many nodes ask at once.
    const opened = await store.openSupportRoom(user, (agent) => `${agent.displayName} from support will help you here`);
    if (!opened) throw new ChatError('UNAVAILABLE', 'No support agent is available right now');
    // A new room is shown to both with its system message, as an accepted job's room is.
    if (opened.greeting) await rooms.announce(opened.roomId, { firstMessage: opened.greeting });
    sendJson(ctx.res, 200, { room: await rooms.roomFor(opened.roomId, user.id) });
  });
}
