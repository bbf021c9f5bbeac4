/**
 * A support room's greeting (seq 1) when staff reached the user first ("Message client", "Message
 * cleaner": POST /api/support {userId}, docs/protocol.md §8) is "<Agent> from support started this
 * conversation". To the room's user it is news; to the agent who clicked it is their own doing, as their
 * own messages are (isMine): no "New messages" line above it, no notification, their read mark passes it,
 * and the server, which counts it unread for them too, is told they read it (ownJobNotice.ts). Its actorId
 * (the server records it since it was added, §2) says who that agent is, so isMine decides. One without
 * (stored before, or by an older node) is told by its words: the agent it names, or a namesake among staff.
 */
import type { Message, Room, User } from '@ecc/protocol';
import { isMine } from './noticeForMe.ts';

/** The end of a staff-started greeting's words, whoever started it. */
export const STAFF_STARTED = / from support started this conversation$/;

/** The greeting of a support room `name`, support staff, started. */
export function staffStartedBy(name: string): string {
  return `${name} from support started this conversation`;
}

type Me = Pick<User, 'id' | 'role' | 'displayName'> | null | undefined;

/** `message` is the greeting of a support room I, support staff, started, by its words: only when it has no actorId. */
export function isMyStaffGreeting(message: Pick<Message, 'seq' | 'sender' | 'content' | 'actorId'>, room: Pick<Room, 'type'> | undefined, me: Me): boolean {
  if (message.actorId !== undefined) return false;
  return !!me && me.role === 'support' && room?.type === 'support' && message.seq === 1 && !message.sender && message.content === staffStartedBy(me.displayName);
}

/** `message` is my own doing (isMine: by its actorId where it has one), or, without one, the greeting of a support room I started. */
export function isMyDoing(message: Message, room: Pick<Room, 'type'> | undefined, me: Me): boolean {
  return isMine(message, me?.id) || isMyStaffGreeting(message, room, me);
}
