/**
 * POST /api/support → `{room}`: the caller's support room, created on first
 * use with the least busy support agent. Support staff get 403 for a room of
 * their own: they answer support rooms, they do not open them.
 *
 * An addition: support staff sending `{"userId": N}` open (or get) user N's
 * support room, the same one room N's own "Contact support" opens, to reach
 * N first (a complaint about a job, a no-show). See staffOpen below.
 */
import { ChatError, OpenSupportRequest, type User } from '@ecc/protocol';
import type { Services } from '../../services.ts';
import { readBytes, requireJsonType, validated } from '../body.ts';
import { requireSession } from '../guard.ts';
import { sendJson } from '../respond.ts';
import type { RequestContext, Router } from '../router.ts';
import { takeStaffRoomOpen } from './staffPace.ts';

export function registerSupportRoutes(router: Router, services: Services): void {
  const { store, rooms } = services;

  router.add('POST', '/api/support', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    const naming = await bodyNamingUser(ctx, services);
    if (naming !== null) {
      // Never a way into someone else's conversation: only staff reach a user first. Checked before
      // the body, so a client or cleaner is told who may do this, whatever they wrote.
      if (user.role !== 'support') throw new ChatError('FORBIDDEN', 'Only support staff may open another user\'s support room');
      await takeStaffRoomOpen(services, user.id);
      requireJsonType(ctx.req);
      await staffOpen(ctx, services, user, validated(OpenSupportRequest, naming, 'body').userId);
      return;
    }
    if (user.role === 'support') throw new ChatError('FORBIDDEN', 'Support staff cannot open a support room');
    // The store opens at most one support room per user, however many nodes ask at once.
    const opened = await store.openSupportRoom(user, (agent) => `${agent.displayName} from support will help you here`);
    if (!opened) throw new ChatError('UNAVAILABLE', 'No support agent is available right now');
    // A new room is shown to both with its system message, as an accepted job's room is.
    if (opened.greeting) await rooms.announce(opened.roomId, { firstMessage: opened.greeting });
    sendJson(ctx.res, 200, { room: await rooms.roomFor(opened.roomId, user.id) });
  });
}

/**
 * A body that names a user (has `userId`, checked later by OpenSupportRequest), or null for no body or any
 * other body: before the addition every body was read and ignored, so one without `userId` still is.
 */
async function bodyNamingUser(ctx: RequestContext, services: Services): Promise<object | null> {
  const bytes = await readBytes(ctx.req, services.config.limits.maxJsonBodyBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  return typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'userId') ? raw : null;
}

/**
 * Staff member `staff` opens user `userId`'s support room: through the same per-user turn as the user's
 * own button (one room, however many ask at once on however many nodes), with `staff` as its agent
 * when new. A room another agent already handles is 409 CONFLICT naming that agent, not joined:
 * the user was told one named person helps them there, and a second agent appearing in the middle of
 * that conversation would change who reads it without them asking; the agents settle it between them.
 */
async function staffOpen(ctx: RequestContext, services: Services, staff: User, userId: number): Promise<void> {
  const { store, rooms } = services;
  const target = await store.getUser(userId);
  if (!target) throw new ChatError('NOT_FOUND', `No user ${userId}`);
  if (target.role === 'support') throw new ChatError('BAD_REQUEST', `${target.displayName} is support staff: support staff have no support room`);
  const opened = await store.openSupportRoom(target, (agent) => `${agent.displayName} from support started this conversation`, staff);
  // Never null: the agent is given, so the store need not find one.
  if (!opened) throw new ChatError('INTERNAL', 'The support room could not be opened');
  if (opened.greeting) {
    await rooms.announce(opened.roomId, { firstMessage: opened.greeting });
  } else {
    const access = await store.getRoomAccess(opened.roomId);
    if (!access?.participants.has(staff.id)) {
      // The room's agent, not whoever else of support joined it; a room opened by a node before migration 012
      // recorded none: then another support participant, as before.
      const agentId = opened.agentId ?? [...(access?.participants ?? [])].find(([id, role]) => role === 'support' && id !== staff.id)?.[0];
      const agent = agentId === undefined ? null : await store.getUser(agentId);
      throw new HandledByAnotherAgent(`${agent?.displayName ?? 'Another agent'} already handles ${target.displayName}'s support conversation`, opened.roomId);
    }
  }
  sendJson(ctx.res, 200, { room: await rooms.roomFor(opened.roomId, staff.id) });
}

/**
 * 409 CONFLICT whose error body also names the room (`error.roomId`, an addition): the staff member may
 * join it (POST /api/rooms/{id}/join) when its agent is away. Only staff asking get it, and staff may join any room.
 */
class HandledByAnotherAgent extends ChatError {
  constructor(
    message: string,
    readonly roomId: number,
  ) {
    super('CONFLICT', message);
  }

  override toBody(): ReturnType<ChatError['toBody']> {
    const error = { ...super.toBody().error, roomId: this.roomId };
    return { error };
  }
}
