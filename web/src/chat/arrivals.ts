/**
 * What the open room's status line says when messages from other people
 * arrive live (the message list itself does not announce: its rows are also
 * added by scrolling and by older pages).
 */
import { cutWhole, type Message } from '@ecc/protocol';

/** How much of a message's text is read out; the rest is in the list. */
export const ANNOUNCED_TEXT_LENGTH = 100;

/**
 * The messages of `messages` that arrived after `afterSeq`, up to the room's newest `latest`, from
 * someone other than me (not system lines, not deleted). `latest` stands in when the loaded window
 * does not hold it.
 */
export function arrivalsSince(messages: readonly Message[], afterSeq: number, latest: Message, meId: number | undefined): Message[] {
  const fromOthers = (m: Message) => m.sender !== null && m.sender.id !== meId && m.deletedAt === null;
  const held = messages.filter((m) => m.seq > afterSeq && m.seq <= latest.seq && fromOthers(m));
  if (held.length > 0 || messages.some((m) => m.seq === latest.seq)) return held;
  return fromOthers(latest) ? [latest] : [];
}

/**
 * "New message from Bob: <its text, cut>" for one; "3 new messages from Bob" (or "3 new messages"
 * from several people) for a burst, so they are not read out one after another. Null for none.
 */
export function arrivalAnnouncement(arrivals: readonly Message[]): string | null {
  const last = arrivals[arrivals.length - 1];
  if (!last?.sender) return null;
  if (arrivals.length === 1) return `New message from ${last.sender.displayName}: ${spokenText(last)}`;
  const senders = new Set(arrivals.map((m) => m.sender?.id));
  return senders.size === 1 ? `${arrivals.length} new messages from ${last.sender.displayName}` : `${arrivals.length} new messages`;
}

function spokenText(m: Message): string {
  const text = m.content.replace(/\s+/g, ' ').trim();
  const cut = text.length > ANNOUNCED_TEXT_LENGTH ? `${cutWhole(text, ANNOUNCED_TEXT_LENGTH - 1).trimEnd()}…` : text;
  if (!m.attachment) return cut;
  return cut ? `${cut} (with a file, ${m.attachment.name})` : `a file, ${m.attachment.name}`;
}

/**
 * After a reconnect the `ready` names a room's newest message before the client library has fetched
 * what was missed: the arrivals wait until the window holds it, and are then said once, as their
 * count, not as the newest alone as if it were the only one. Every room's gap is fetched and held as
 * live messages are, a window that held nothing yet included (a room shown before its first page).
 */
export function awaitsMissed(heldNewestSeq: number, latest: Message): boolean {
  return heldNewestSeq < latest.seq;
}
