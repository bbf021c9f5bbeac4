/**
 * The pace of support staff opening rooms: `POST /api/support {userId}` and `POST /api/rooms/{id}/join`
 * together, per staff member, on each node. Each puts the staff member into a user's conversation and tells
 * everyone in it; a stolen staff session looping over user ids would read every user's support room and
 * every job's room in minutes. High enough that an agent at work never meets it.
 */
import type { Services } from '../../services.ts';
import { RetryAfterError } from '../respond.ts';

/** Counts one room opened or joined by staff member `userId`; 429 RATE_LIMITED with Retry-After past the limit. */
export function takeStaffRoomOpen(services: Services, userId: number): void {
  const limiter = services.staffRoomLimiter;
  if (limiter.tryTake(userId)) return;
  const seconds = Math.max(1, Math.ceil(limiter.waitMs(userId) / 1000));
  throw new RetryAfterError(`Too many conversations opened or joined in a short time; try again in ${seconds} s`, seconds);
}
