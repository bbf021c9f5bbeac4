/**
 * The "New messages" line of a room: where the messages the user had not read
 * begin, taken when the room is shown (reading the room moves the read mark,
 * so without it the user could not tell which ones are new). The room opens
 * there, with older pages loaded first when the line is not in the latest one;
 * when it is too far back, it opens at the newest and offers to go there (as it does for a line loaded
 * above the view and never seen: useUnreadLineAbove.ts). Messages that arrive in
 * the room on screen unseen (the tab hidden, the reader scrolled up) get the line too, above the
 * first of them (markerOnArrival).
 */
import type { Message, Room, User } from '@ecc/protocol';
import { isMine } from './noticeForMe.ts';
import { STAFF_STARTED, staffStartedBy } from './ownGreeting.ts';
import type { ChatState, RoomMessages } from './store.ts';

/**
 * How many messages back the first new one may be for the room to open there. Ten history pages:
 * at most ten round trips (about a second on a phone) while the room says it is loading, and a
 * window of a few hundred rows, which the virtualised list handles easily. Someone further behind
 * than that is more likely catching up on the latest than reading every message, so the room
 * opens at the newest and a button offers the way back instead.
 */
export const FIRST_NEW_REACH = 500;

export interface UnreadMarker {
  roomId: number;
  /** My read mark when the room was shown: what comes after it (from others) is new. */
  afterSeq: number;
  /** How many were unread when the room was shown (the count the button up to a line too far back to load says). */
  unread: number;
  /**
   * The room opens at its newest messages with a button up to the line, instead of loading
   * older pages to it first: the line is more than FIRST_NEW_REACH messages back, or a page
   * on the way failed.
   */
  far: boolean;
  /**
   * A support room's greeting (seq 1) was not held when the room was shown: once it is, its actorId
   * decides whether it is my own doing (firstNewSeq), or without one its words: `true`, any but a
   * staff-started one (my own "Contact support"); a string, exactly those words (the greeting of a room
   * I, support staff, started). Absent otherwise.
   */
  openingByWords?: true | string;
}

/**
 * The server opens every room with a system message (seq 1): a support room's greeting when its
 * client or cleaner contacts support, a job room's "<cleaner> accepted the job" when the cleaner
 * accepts. It counts as unread for them too (system messages do), but it is their own doing, not
 * news: no "New messages" line above it for them, as for their own messages. A support room staff
 * started is news to its user, and the agent's own doing (ownGreeting.ts); to other staff, news.
 * Null: that rests on the greeting (its actorId, or its words), and `opening` is not held.
 */
function openedByMe(room: Room, me: User, opening: Message | undefined): boolean | null {
  if (room.type === 'job') return room.job?.cleanerId === me.id;
  if (room.type !== 'support') return false;
  return opening ? openingMine(openingWords(me), me.id, opening) : null;
}

/** The words of a support room's greeting that is my own doing (UnreadMarker.openingByWords). */
function openingWords(me: User): true | string {
  return me.role === 'support' ? staffStartedBy(me.displayName) : true;
}

/** The greeting is my own doing: whose it is by its actorId; by its words only without one (stored before the server recorded it). */
function openingMine(words: true | string, meId: number | undefined, opening: Pick<Message, 'content' | 'actorId'>): boolean {
  if (opening.actorId !== undefined) return opening.actorId === meId;
  return words === true ? !STAFF_STARTED.test(opening.content) : opening.content === words;
}

/** The room's opening message (seq 1) where this tab holds it: its loaded messages, or its last message. */
function openingHeld(state: ChatState, room: Room): Message | undefined {
  const oldest = state.roomMessages[room.id]?.messages[0];
  if (oldest?.seq === 1) return oldest;
  return room.lastMessage?.seq === 1 ? room.lastMessage : undefined;
}

/** The marker for `roomId` about to be shown, or null when nothing in it is new to me. */
export function markerOnShowing(state: ChatState, roomId: number | null): UnreadMarker | null {
  const me = state.me;
  if (roomId === null || !me) return null;
  const room = state.rooms[roomId];
  const mine = room?.participants.find((p) => p.id === me.id);
  if (!room || !mine || room.unread === 0) return null;
  const opening = mine.lastReadSeq === 0 && room.lastSeq > 0 ? openedByMe(room, me, openingHeld(state, room)) : false;
  const skipsOpening = opening === true;
  const afterSeq = skipsOpening ? 1 : mine.lastReadSeq;
  const unread = skipsOpening ? room.unread - 1 : room.unread;
  // Nothing after my mark, which passes my own messages and notices: a count above 0 is my job move's
  // notice, not read for me yet (ownJobNotice.ts), or a count that lags a read.
  if (unread <= 0 || afterSeq >= room.lastSeq) return null;
  const marker: UnreadMarker = { roomId, afterSeq, unread, far: room.lastSeq - afterSeq > FIRST_NEW_REACH };
  if (opening === null) marker.openingByWords = openingWords(me);
  return marker;
}

/**
 * The marker once the greeting its line rests on (openingByWords) is read: without it when the greeting
 * is news; my own doing, it is not counted and the line goes below it. (A line too far back to load to
 * has the greeting read alone, for the count its way up says: MessageList.)
 */
export function withOpening(marker: UnreadMarker, opening: Message, meId: number | undefined): UnreadMarker {
  const { openingByWords: words, ...rest } = marker;
  if (words === undefined || opening.seq !== 1) return marker;
  return openingMine(words, meId, opening) ? { ...rest, afterSeq: Math.max(1, rest.afterSeq), unread: Math.max(0, rest.unread - 1) } : rest;
}

/**
 * The marker once someone else's message `seq` arrived in the room on screen unseen (the tab hidden,
 * or the reader scrolled up to older ones): without a line, reading them later (back in the tab, or
 * down at the newest) could not tell where they began. A line already there stays while the reader
 * has not caught up with what it marks (it is above these too); once they had read everything before
 * `seq`, the line moves down to it. Taken only where the open list holds the mark: it never makes a
 * list already shown wait for older pages, as a room being opened at its line does.
 */
export function markerOnArrival(state: ChatState, roomId: number, seq: number): UnreadMarker | null {
  const held = state.unreadMarker;
  const me = state.me;
  const room = state.rooms[roomId];
  const rm = state.roomMessages[roomId];
  if (!state.panelOpen || state.activeRoomId !== roomId || !me || !room || !rm) return held;
  const mark = room.participants.find((p) => p.id === me.id)?.lastReadSeq;
  // Read already (on another tab), or the opening notice of a room I opened myself (markerOnShowing).
  // (The notice of my own job move comes to no arrival: it is mine, as my own messages are.)
  if (mark === undefined || mark >= seq || (seq === 1 && openedByMe(room, me, openingHeld(state, room)) !== false)) return held;
  if (held?.roomId === roomId && (mark < seq - 1 || mark === held.afterSeq)) return held;
  const marker: UnreadMarker = { roomId, afterSeq: mark, unread: Math.max(1, room.lastSeq - mark), far: false };
  return loadingToFirstNew(rm, marker, roomId) ? held : marker;
}

/**
 * Read messages loaded above the line before the room opens there. The reader sees what the new
 * ones answer; and the list does not open at the top of what it holds, where it would at once
 * ask for an older page, which lands above the line and pushes it out of view as the room opens.
 */
export const CONTEXT_ABOVE_FIRST_NEW = 20;

/** The oldest seq loaded before the room opens at its line: the first after the mark, and some read ones above it. */
export function firstSeqToLoad(marker: UnreadMarker): number {
  return Math.max(1, marker.afterSeq + 1 - CONTEXT_ABOVE_FIRST_NEW);
}

/** The loaded window holds the first message after the mark (the window is contiguous up to the newest). */
function reachesMark(messages: readonly Message[], marker: UnreadMarker): boolean {
  const oldest = messages[0];
  return oldest !== undefined && oldest.seq <= marker.afterSeq + 1;
}

/**
 * The seq the "New messages" line goes above: the first message after the mark that is not mine (my
 * own, or my own job move's notice: isMine), once the loaded window reaches back to the mark.
 */
export function firstNewSeq(messages: readonly Message[], marker: UnreadMarker | null, roomId: number, meId: number | undefined): number | null {
  if (!marker || marker.roomId !== roomId || !reachesMark(messages, marker)) return null;
  const first = messages.find((m) => m.seq > marker.afterSeq && !isMine(m, meId) && !(marker.openingByWords !== undefined && m.seq === 1 && openingMine(marker.openingByWords, meId, m)));
  return first?.seq ?? null;
}

/**
 * How many messages from others the "New messages" line, above `line`, has below it, up to seq
 * `upTo` (null: the newest): the count the way up to a line above the view says. Counted from what
 * is held (all of them are, from the line down to the newest), not the marker's `unread`, taken when
 * the line was: a line taken for the first message that came unseen has had every later one come
 * under it since (in the hidden tab). `upTo` is the newest as the way up was first offered in the
 * tab in front (useUnreadLineAbove.ts): those read live after it are not the ones above.
 */
export function unreadFromLine(messages: readonly Message[], line: number, meId: number | undefined, upTo: number | null = null): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && (messages[i]?.seq ?? 0) >= line; i -= 1) {
    const m = messages[i];
    if (m && (upTo === null || m.seq <= upTo) && !isMine(m, meId)) count += 1;
  }
  return count;
}

/**
 * Older pages are still to be loaded before the room can open at its line (the controller loads
 * them, see ChatController.openAtFirstNew): the list waits, rather than show the newest messages
 * and then jump away from them.
 */
export function loadingToFirstNew(rm: RoomMessages, marker: UnreadMarker | null, roomId: number): boolean {
  if (!marker || marker.roomId !== roomId || marker.far) return false;
  // A first page that failed is not waited for: its error, or what is held, is shown instead.
  if (rm.fetch.initialFailed) return false;
  // Messages that arrived live may be held before the first page is, even ones up to the line
  // (read on another tab): a list opened on them alone would open again, elsewhere, with the page.
  const oldest = rm.messages[0];
  return !rm.fetch.initialLoaded || (!rm.fetch.foundOldest && !(oldest !== undefined && oldest.seq <= firstSeqToLoad(marker)));
}
