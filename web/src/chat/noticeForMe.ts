/**
 * A job move's notice as its mover reads it: "You accepted the job", "Status changed to In progress by
 * you". The server stores and sends it naming the mover ("… by Alice Client"), as the other person and
 * other apps read it; to Alice herself her own name read as if someone else had moved her job. Only the
 * words shown here change, matched by the notice's words (jobNotices.ts), whenever it came.
 */
import { jobNoticeText, parseJobNotice, type Room, type User } from '@ecc/protocol';

/**
 * My name as a notice in `room` names me, or null when another participant there has the same name:
 * whose move it was cannot be told, and their move must not read as mine.
 */
export function ownNoticeName(me: Pick<User, 'id' | 'displayName'> | null, room: Pick<Room, 'participants'> | undefined): string | null {
  if (!me) return null;
  const namesake = room?.participants.some((p) => p.id !== me.id && p.displayName === me.displayName);
  return namesake ? null : me.displayName;
}

/** A system message's text as shown to the user whose notices name them `ownName` (ownNoticeName). */
export function noticeAsRead(content: string, ownName: string | null): string {
  const notice = ownName === null ? null : parseJobNotice(content);
  if (!notice || notice.mover !== ownName) return content;
  return jobNoticeText({ ...notice, mover: notice.kind === 'accepted' ? 'You' : 'you' });
}
