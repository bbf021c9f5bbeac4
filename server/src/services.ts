/**
 * The long-lived parts of one server node, created once by `createChatServer`
 * and passed to every route and socket handler (no global singletons).
 */
import type { AttemptCounts } from './auth/loginThrottle.ts';
import type { Config } from './config.ts';
import type { Bus, PresenceTracker, SharedPace, SharedSendCounter } from './fanout/bus.ts';
import type { Logger } from './logger.ts';
import type { NodeCounters } from './metrics/counters.ts';
import type { Store } from './storage/store.ts';
import type { Hub } from './ws/hub.ts';
import type { JobBoard } from './ws/jobBoard.ts';
import type { RoomAccessCache } from './ws/roomAccess.ts';
import type { ReadBatcher } from './ws/readBatcher.ts';
import type { SendBatcher } from './ws/sendBatcher.ts';
import type { SendLimiter, SharedWindowLimiter, SlidingWindowLimiter } from './ws/rateLimiter.ts';
import type { TypingTracker } from './ws/typing.ts';
import type { RoomAnnouncer } from './services/roomAnnouncer.ts';
import type { PresenceAnnouncer } from './services/presenceAnnouncer.ts';

/** What the caller provides. */
export interface ServerDeps {
  config: Config;
  store: Store;
  bus: Bus;
  presence: PresenceTracker;
  /** The send rate limit shared with other nodes (none for a single node). */
  sendCounter?: SharedSendCounter | null;
  /** Sign-in attempts shared with other nodes (default: counted in this process). */
  loginAttempts?: AttemptCounts | null;
  /** Support staff's room opens shared with other nodes (none for a single node: this process counts them all). */
  staffRoomOpens?: SharedPace | null;
  logger: Logger;
}

/** Everything a route or handler may use. */
export interface Services extends ServerDeps {
  hub: Hub;
  /** Every connected cleaner's open-jobs board (`open_job`). */
  board: JobBoard;
  /** Every connected support agent's jobs page (`job_changed`). */
  supportBoard: JobBoard;
  access: RoomAccessCache;
  batcher: SendBatcher;
  reads: ReadBatcher;
  sendLimiter: SendLimiter;
  /** Edits and deletes per user (each writes and reaches every socket of the room). */
  editLimiter: SlidingWindowLimiter;
  /** Rooms support staff open for a user or join, per staff member (each reaches every socket of the room's people). */
  staffRoomLimiter: SharedWindowLimiter;
  loginAttempts: AttemptCounts;
  typing: TypingTracker;
  rooms: RoomAnnouncer;
  presenceAnnouncer: PresenceAnnouncer;
  /** What GET /metrics counts (metrics/counters.ts). */
  counters: NodeCounters;
}
