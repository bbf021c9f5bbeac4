/**
 * The pace of support staff opening rooms: `POST /api/support {userId}` and `POST /api/rooms/{id}/join`
 * together, per staff member: over every node with Redis (each node alone while Redis cannot be asked),
 * in this process without it. Each puts the staff member into a user's conversation and tells
 * everyone in it; a stolen staff session looping over user ids would read every user's support room and
 * every job's room in minutes. High enough that an agent at work never meets it.
 */
import type { Services } from '../../services.ts';
import { RetryAfterError } from '../respond.ts';

/** Counts one room opened or joined by staff member `userId`; 429 RATE_LIMITED with Retry-After past the limit. */
export async function takeStaffRoomOpen(services: Services, userId: number): Promise<void> {
  const waitMs = await services.staffRoomLimiter.take(userId);
  if (waitMs === 0) return;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  throw new RetryAfterError(`Too many conversations opened or joined in a short time; try again in ${seconds} s`, seconds);
}
