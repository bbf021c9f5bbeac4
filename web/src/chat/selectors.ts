/**
 * Selectors over ChatState. Each returns a value that keeps its identity while
 * its inputs keep theirs, as useSyncExternalStore requires.
 */
import type { Message, Participant, Role, Room, User } from '@ecc/protocol';
import type { ChatState, PendingMessage, RoomMessages, TypingUser } from './store.ts';
import { roomMessagesOf } from './chatState.ts';
import { noticeAsRead } from './noticeForMe.ts';

export type MessageItem =
  | { kind: 'stored'; key: string; message: Message }
  | { kind: 'pending'; key: string; pending: PendingMessage };

const itemsCache = new WeakMap<RoomMessages, readonly MessageItem[]>();

/** Stored messages followed by my unacknowledged ones, as list items with stable keys. */
export function messageItems(rm: RoomMessages): readonly MessageItem[] {
  const cached = itemsCache.get(rm);
  if (cached) return cached;
  const items: MessageItem[] = rm.messages.map((message) => ({ kind: 'stored', key: `m${message.seq}`, message }));
  for (const pending of rm.pending) items.push({ kind: 'pending', key: `p${pending.clientId}`, pending });
  itemsCache.set(rm, items);
  return items;
}

/**
 * Who is online is known only while this tab is connected: offline, nobody's coming or going can
 * arrive, so what was last heard is shown as nothing rather than as now (the next `ready` tells).
 */
export function presenceKnown(state: ChatState): boolean {
  return state.connection === 'open';
}

/** The participants other than me. */
export function othersIn(room: Room, meId: number | undefined): Participant[] {
  return room.participants.filter((p) => p.id !== meId);
}

/**
 * A room's name as this user reads it. A support room is stored as "Support · <client>" for the
 * staff's list; its client sees just "Support" (not their own name as the title).
 */
export function roomTitle(room: Room, me: Pick<User, 'role'> | null): string {
  return room.type === 'support' && me !== null && me.role !== 'support' ? 'Support' : room.name;
}

/** My role in the room (support staff join rooms that are not theirs); null when I am not in it. */
function myRoleIn(room: Room, meId: number | undefined): Role | null {
  return room.participants.find((p) => p.id === meId)?.role ?? null;
}

/**
 * The others whose reading makes my message "Seen". In a job room, the job's other party: support staff
 * who joined read from the join notice on, after everything, and made a client's message to her cleaner
 * "Seen" though he never opened it. In a support room, to the user any agent; to an agent the user, not a
 * fellow agent. In a general room, anyone.
 */
function readersOf(room: Room, meId: number | undefined): Participant[] {
  const others = othersIn(room, meId);
  if (room.type === 'job') return others.filter((p) => p.role !== 'support');
  if (room.type === 'support' && myRoleIn(room, meId) === 'support') return others.filter((p) => p.role !== 'support');
  return others;
}

/** The highest seq read by those whose reading counts (readersOf), for "Seen". */
export function seenUpTo(room: Room, meId: number | undefined): number {
  return readersOf(room, meId).reduce((max, p) => Math.max(max, p.lastReadSeq), 0);
}

/**
 * The others as a room's header and chat row name them, the primary person (whose avatar and presence
 * are shown) first: in a job room the job's other party (the cleaner to the client and back; to support
 * staff the client, then the cleaner), then staff who joined; in a support room the user to an agent,
 * the agents to the user. The rest keep the server's order.
 */
export function peopleOf(room: Room, meId: number | undefined): Participant[] {
  const mine = myRoleIn(room, meId);
  const rank = (p: Participant): number => {
    if (room.type === 'job') {
      if (p.role === 'support') return 2;
      return p.role === (mine === 'client' ? 'cleaner' : 'client') ? 0 : 1;
    }
    if (room.type === 'support') return (p.role === 'support') === (mine !== 'support') ? 0 : 1;
    return 0;
  };
  return othersIn(room, meId)
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * Whose presence a room's header shows: the primary person's (peopleOf); to support staff in a job's
 * chat, the client's and the cleaner's both (whether either is there to answer is what they need).
 */
export function presencePeopleOf(room: Room, meId: number | undefined): Participant[] {
  const people = peopleOf(room, meId);
  if (room.type === 'job' && myRoleIn(room, meId) === 'support') {
    const parties = people.filter((p) => p.role !== 'support');
    if (parties.length > 1) return parties;
  }
  return people.slice(0, 1);
}

/** The seq of my last stored (not deleted) message at or below `upTo`, or null. */
function lastOwnSeq(messages: readonly Message[], meId: number | undefined, upTo: number): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.sender?.id === meId && m.seq <= upTo && !m.deletedAt) return m.seq;
  }
  return null;
}

/** Where my messages' receipts go: "Seen" under the last one the others read, "Sent" under my last one if they have not. */
export interface ReceiptSeqs {
  seen: number | null;
  sent: number | null;
}

export const NO_RECEIPTS: ReceiptSeqs = { seen: null, sent: null };

export function receiptSeqs(messages: readonly Message[], room: Room, meId: number | undefined): ReceiptSeqs {
  const readUpTo = seenUpTo(room, meId);
  const last = lastOwnSeq(messages, meId, Number.POSITIVE_INFINITY);
  return { seen: lastOwnSeq(messages, meId, readUpTo), sent: last !== null && last > readUpTo ? last : null };
}

/**
 * The receipt under my own message `seq`: "Seen" under the last one the others
 * read, "Sent" under my last one when they have not read it. Once, as in a
 * phone messenger: a "Sent" under each of a run of unread messages was noise,
 * and one under an older read message would say it was not read.
 */
export function receiptOf(seq: number, at: ReceiptSeqs): 'Seen' | 'Sent' | null {
  if (seq === at.seen) return 'Seen';
  return seq === at.sent ? 'Sent' : null;
}

const NO_TYPERS: readonly TypingUser[] = [];

export function typersIn(state: ChatState, roomId: number): readonly TypingUser[] {
  return state.typing[roomId] ?? NO_TYPERS;
}

/** A piece of the typing line: a typer's name, or the words between and after the names. */
export interface TypingPart {
  text: string;
  name: boolean;
}

/**
 * "Bob Cleaner is typing…", "Bob and Ann are typing…", or null, in its pieces: each typer by their
 * display name in the room (the frame carries only a username), for the room and its row in the chat
 * list, which lay each name out in its own direction (a right-to-left name took the ", " after it
 * into its run, and two such names showed in the wrong order).
 */
export function typingParts(typers: readonly TypingUser[], participants: readonly Participant[]): TypingPart[] | null {
  if (typers.length === 0) return null;
  const names = typers.map((t) => participants.find((p) => p.id === t.userId)?.displayName ?? t.username);
  const parts: TypingPart[] = [];
  names.forEach((name, i) => {
    if (i > 0) parts.push({ text: i === names.length - 1 ? ' and ' : ', ', name: false });
    parts.push({ text: name, name: true });
  });
  parts.push({ text: names.length === 1 ? ' is typing…' : ' are typing…', name: false });
  return parts;
}

/** An unread count as a badge shows it: "99+" past 99 (a badge stays small; the exact count is read to screen readers). */
export function badgeText(unread: number): string {
  return unread > 99 ? '99+' : String(unread);
}

/** Accessible name of the navigation's chat button. */
export function chatsButtonLabel(totalUnread: number): string {
  return totalUnread > 0 ? `Chats, ${totalUnread} unread` : 'Chats';
}

/** The browser tab's title. */
export function documentTitle(totalUnread: number): string {
  return totalUnread > 0 ? `(${totalUnread}) E-Cleaner Chat` : 'E-Cleaner Chat';
}

/** The stored message `seq` of a room as held here (its loaded window, or its newest), or undefined. */
export function heldMessage(state: ChatState, roomId: number, seq: number): Message | undefined {
  const newest = state.rooms[roomId]?.lastMessage;
  return newest?.seq === seq ? newest : roomMessagesOf(state, roomId).messages.find((m) => m.seq === seq);
}

/** Who wrote a quoted message, as the quote names them: "You" for my own (as my messages are headed), "System" for a notice. */
export function quotedSender(sender: Pick<User, 'id' | 'displayName'> | null, meId: number | undefined): string {
  if (!sender) return 'System';
  return sender.id === meId ? 'You' : sender.displayName;
}

/** What the composer quotes of the message being answered: its text, or the file it carries. */
export function quoteOf(message: Message): string {
  if (message.deletedAt) return 'Message deleted';
  if (message.content) return message.content.replace(/\s+/g, ' ').slice(0, 80);
  return message.attachment ? `📎 ${message.attachment.name}` : '';
}

/**
 * Who removed a deleted message when it was not its sender (a support participant); null for the
 * sender's own deletion, and when the server did not say (a deletion from before it recorded it).
 */
export function removerOf(message: Message): User | null {
  const by = message.deletedBy;
  return message.deletedAt && by && by.id !== message.sender?.id ? by : null;
}

/** A remover as others read it: "support" for support staff (the role is what tells why), else the name. */
function removerName(remover: User): string {
  return remover.role === 'support' ? 'support' : remover.displayName;
}

/** What a deleted message's bubble says in place of its text. */
export function deletedText(message: Message, meId: number | undefined): string {
  const remover = removerOf(message);
  if (!remover) return 'This message was deleted';
  return remover.id === meId ? 'You removed this message' : `Removed by ${removerName(remover)}`;
}

/** One line of text for a message in the chat list or a notification. */
export function previewOf(message: Message | null, meId?: number): string {
  const { who, text } = previewParts(message, meId);
  return who + text;
}

/**
 * previewOf in its two parts, the sender ("You: ", "Bob Cleaner: "; empty when none) and what they sent:
 * the chat list lays the text out in its own direction, so a right-to-left one shows its start. The
 * notice of a job move by `meId` reads "by you", as in the conversation (noticeAsRead).
 */
export function previewParts(message: Message | null, meId?: number): { who: string; text: string } {
  if (!message) return { who: '', text: 'No messages yet' };
  if (message.deletedAt) {
    const remover = removerOf(message);
    if (!remover) return { who: '', text: 'Message deleted' };
    return { who: '', text: remover.id === meId ? 'You removed a message' : `Removed by ${removerName(remover)}` };
  }
  const who = !message.sender ? '' : message.sender.id === meId ? 'You: ' : `${message.sender.displayName}: `;
  // A photo or PDF alone: its file name, from whoever sent it (as a text is).
  if (message.attachment && !message.content) return { who, text: `📎 ${message.attachment.name}` };
  // A photo or PDF with a caption: the caption, marked as coming with a file.
  const file = message.attachment ? '📎 ' : '';
  const content = message.type === 'system' ? noticeAsRead(message, meId) : message.content;
  const line = `${who}${file}${content}`.replace(/\s+/g, ' ').slice(0, 120);
  const shownWho = who.replace(/\s+/g, ' ');
  return line.startsWith(shownWho) ? { who: shownWho, text: line.slice(shownWho.length) } : { who: '', text: line };
}
