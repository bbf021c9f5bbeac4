/**
 * The chat state's shape, the actions over it, its starting value and the
 * read accessors selectors use (stable empty values). The reducer over them
 * is store.ts.
 */
import type { Message, Room, User } from '@ecc/protocol';
import { draftIn, editIn, savingIn, type Draft, type DraftAction, type DraftEdit, type Drafts } from './drafts.ts';
import { FetchStatus } from './fetchStatus.ts';
import type { UnreadMarker } from './unreadMarker.ts';
import type { NoticeAbout } from './fileNotice.ts';
import type { MemberRooms } from './rooms.ts';
import type { PendingMessage } from './unsentMessages.ts';

/** Mirrors the client library's connection states. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RoomMessages {
  /** Stored messages, ascending seq, no duplicates, a contiguous window. */
  messages: readonly Message[];
  pending: readonly PendingMessage[];
  fetch: FetchStatus;
}

export interface TypingUser {
  userId: number;
  username: string;
}

export interface ChatState {
  me: User | null;
  connection: ConnectionState;
  /** The server turned this tab away (4429: the user has too many sockets); it tries again later. */
  tooManyTabs: boolean;
  /** True once a `ready` arrived: later non-open states are shown as "reconnecting". */
  everReady: boolean;
  rooms: Readonly<Record<number, Room>>;
  /** Room ids, most recently active first. */
  roomOrder: readonly number[];
  roomMessages: Readonly<Record<number, RoomMessages>>;
  totalUnread: number;
  typing: Readonly<Record<number, readonly TypingUser[]>>;
  panelOpen: boolean;
  activeRoomId: number | null;
  /** A problem the user should see (an edit refused, a history fetch failed); null when none. */
  notice: string | null;
  /** The picked file the notice speaks of (files dropped together and not attached): it goes with that file (fileNotice.ts). */
  noticeAbout: NoticeAbout | null;
  /** Unsent drafts by room id: they survive closing the panel and switching rooms. */
  drafts: Drafts;
  /** Where the shown room's new messages began when it was shown (unreadMarker.ts). */
  unreadMarker: UnreadMarker | null;
  /** What is typed in the chat list's search box: kept while rooms are opened and left, cleared when the panel closes. */
  listQuery: string;
  /** Messages whose deletion I confirmed and the server has not answered (held until the socket is back, offline). */
  deleting: readonly number[];
  /** The rooms each user is in (rooms.ts), so a presence frame goes to those rooms, not through all of them. */
  memberRooms: MemberRooms;
  /** The ids of the rooms of a job (rooms.ts): the jobs page reads those, not all of a support agent's rooms on every frame. */
  jobRooms: readonly number[];
}

export type ChatAction =
  | { type: 'connection'; state: ConnectionState; closeCode?: number }
  | { type: 'ready'; user: User; rooms: Room[]; totalUnread: number }
  | { type: 'message'; message: Message }
  | { type: 'message_updated'; message: Message }
  | { type: 'history_started'; roomId: number; direction: 'initial' | 'older' }
  | { type: 'history_loaded'; roomId: number; direction: 'initial' | 'older'; messages: Message[]; hasMore: boolean }
  | { type: 'history_failed'; roomId: number }
  /** A loaded page read again after a reconnect: it updates the copies held, it adds no messages. */
  | { type: 'history_refreshed'; roomId: number; messages: Message[] }
  | { type: 'unread'; roomId: number; unread: number; totalUnread: number }
  | { type: 'receipt'; roomId: number; userId: number; lastReadSeq: number }
  | { type: 'typing'; roomId: number; userId: number; username: string; isTyping: boolean }
  | { type: 'presence'; userId: number; online: boolean; lastSeen: string | null }
  | { type: 'room'; room: Room }
  | { type: 'send_started'; pending: PendingMessage }
  /** `refused`: the server answered it with the error, so nothing is stored under its clientId; `answered`, refused or not. */
  | { type: 'send_failed'; roomId: number; clientId: string; error: string; refused?: boolean; answered?: boolean }
  /** The library put it on a socket for the first time. */
  | { type: 'send_written'; roomId: number; clientId: string }
  | { type: 'send_retried'; roomId: number; clientId: string }
  /** A message the user chose not to send after all, one the server cannot hold (unsentMessages.ts). */
  | { type: 'send_discarded'; roomId: number; clientId: string }
  | { type: 'read_locally'; roomId: number; seq: number }
  | { type: 'panel'; open: boolean }
  | { type: 'open_room'; roomId: number | null }
  /** The older pages up to the shown room's "New messages" line could not be loaded: it opens at the newest instead. */
  | { type: 'first_new_unreachable'; roomId: number }
  /** The room's greeting (seq 1), read for the shown room's marker that rests on it (its actorId, or its words: openingByWords). */
  | { type: 'opening_read'; roomId: number; opening: Message }
  /** Someone else's message `seq` arrived in the room on screen and was not seen (the tab hidden, or scrolled up). */
  | { type: 'arrived_unseen'; roomId: number; seq: number }
  /** `about`: the room's picked file the notice speaks of; the notice goes once that file leaves the draft or the room is left. */
  | { type: 'notice'; text: string | null; about?: NoticeAbout }
  | { type: 'list_query'; query: string }
  | { type: 'delete_started'; messageId: number }
  | { type: 'delete_ended'; messageId: number }
  | DraftAction
  | { type: 'reset' };

export const initialChatState: ChatState = {
  me: null,
  connection: 'idle',
  tooManyTabs: false,
  everReady: false,
  rooms: {},
  roomOrder: [],
  roomMessages: {},
  totalUnread: 0,
  typing: {},
  panelOpen: false,
  activeRoomId: null,
  notice: null,
  noticeAbout: null,
  drafts: {},
  unreadMarker: null,
  listQuery: '',
  deleting: [],
  memberRooms: new Map(),
  jobRooms: [],
};

/** The draft of a room, or a shared empty value (stable for selectors). */
export function draftOf(state: ChatState, roomId: number): Draft {
  return draftIn(state.drafts, roomId);
}

/** My edit of `messageId` in progress (the draft's own object, so stable for selectors), or null. */
export function editOf(state: ChatState, roomId: number, messageId: number): DraftEdit | null {
  return editIn(state.drafts, roomId, messageId);
}

/** My saved edit of `messageId` on its way to the server (the draft's own object, so stable for selectors), or null. */
export function savingEditOf(state: ChatState, roomId: number, messageId: number): DraftEdit | null {
  return savingIn(state.drafts, roomId, messageId);
}

const EMPTY_ROOM_MESSAGES: RoomMessages = { messages: [], pending: [], fetch: FetchStatus.empty };

/** The messages of a room, or a shared empty value (stable for selectors). */
export function roomMessagesOf(state: ChatState, roomId: number): RoomMessages {
  return state.roomMessages[roomId] ?? EMPTY_ROOM_MESSAGES;
}
