/**
 * A job move's notice as its mover reads it: "You accepted the job", "Status changed to In progress by
 * you". The server stores and sends it naming the mover ("… by Alice Client"), as the other person and
 * other apps read it; to Alice herself her own name read as if someone else had moved her job. Whose
 * move it was is the notice's actorId, never the name in its words: names are not unique, and support
 * staff (in no job room) named as the client may move her job. What is stored and sent keeps the name.
 */
import { jobNoticeText, parseJobNotice, replyExcerpt, type Message, type ReplyRef } from '@ecc/protocol';

/**
 * `message` is my own doing: sent by me, or the notice of my own job move (its actorId mine, also one
 * made on another tab or device). Neither is news to me: no "New messages" line, no notification, and
 * my read mark passes it when I had read everything before it (readState.ts; the server counts such a
 * notice unread for its mover too: ownJobNotice.ts reads it for me). A notice without an actorId is
 * nobody's here, as for its words.
 */
export function isMine(message: Pick<Message, 'sender' | 'actorId'>, meId: number | undefined): boolean {
  if (meId === undefined) return false;
  return message.sender ? message.sender.id === meId : message.actorId === meId;
}

/**
 * A system message's text as the user `meId` reads it: "by you" where the notice's actorId is theirs.
 * Without an actorId (stored before the server recorded it, or from an older server) the words as they
 * are: a name that may be theirs or a namesake's is left for them to read, not guessed.
 */
export function noticeAsRead(message: Pick<Message, 'content' | 'actorId'>, meId: number | undefined): string {
  if (meId === undefined || message.actorId !== meId) return message.content;
  // parseJobNotice finds where the name is in the words (a job's notice; other words are left as they are).
  const notice = parseJobNotice(message.content);
  if (!notice) return message.content;
  return jobNoticeText({ ...notice, mover: notice.kind === 'accepted' ? 'You' : 'you' });
}

/**
 * A reply's quote of `original`, the message it answers, as `meId` reads it: a notice of their own move
 * "by you", as noticeAsRead words it. A quote carries no actorId, so only one whose notice is held here
 * (undefined: not loaded) is reworded; the others keep the excerpt the server made.
 */
export function quoteAsRead(reply: ReplyRef, original: Message | undefined, meId: number | undefined): string {
  if (original?.id !== reply.id || original.deletedAt) return reply.excerpt;
  const words = noticeAsRead(original, meId);
  return words === original.content ? reply.excerpt : replyExcerpt({ ...original, content: words });
}
