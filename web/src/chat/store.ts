/**
 * The framework-free chat store: one immutable state, a pure reducer over a
 * closed set of actions, and a tiny subscribe/dispatch class. React binds to
 * it through useSyncExternalStore (ChatContext.tsx); nothing here knows React.
 *
 * Structural sharing matters: an action replaces only the objects it touches,
 * so a selector over an untouched room returns the same reference and its
 * component does not re-render.
 */
import { newerCopy } from '@ecc/client';
import { CloseCode, type Message, type Room, type User } from '@ecc/protocol';
import { draftIn, editIn, reduceDrafts, savingIn, type Draft, type DraftAction, type DraftEdit, type Drafts } from './drafts.ts';
import { FetchStatus } from './fetchStatus.ts';
import { hasOlderThan, mergeMessages, refreshHeld, requoteReplies } from './messageWindow.ts';
import { markerOnArrival, markerOnShowing, type UnreadMarker } from './unreadMarker.ts';
import { applyReadLocally, applyUnread, withOwnReadThrough, withOwnReadThroughAll } from './readState.ts';
import { withoutStaleNotice, type NoticeAbout } from './fileNotice.ts';
import { placeRooms, updateMemberInRooms, updateRoomParticipants, upsertRooms, type MemberRooms } from './rooms.ts';
import type { PendingMessage } from './unsentMessages.ts';
import { afterFailure } from './sendFailures.ts';

export type { Draft, DraftAttachment, DraftEdit } from './drafts.ts';
export type { PendingMessage } from './unsentMessages.ts';

/** Mirrors the client library's connection states. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RoomMessages {
  /** Stored messages, ascending seq, no duplicates, a contiguous window. */
  messages: readonly Message[];
  pending: readonly PendingMessage[];
  fetch: FetchStatus;
}

/**
 * The system message my own job move is expected to bring into its room: the next seq there, as the
 * move began, worded as the server words my move (another's move made at the same moment may take the seq).
 */
export interface OwnNotice {
  roomId: number;
  seq: number;
  content: string;
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
  /** The notices my own job moves under way will bring (ownJobNotice.ts): no "New messages" line is taken for them. */
  ownNotices: readonly OwnNotice[];
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
  /** Someone else's message `seq` arrived in the room on screen and was not seen (the tab hidden, or scrolled up). */
  | { type: 'arrived_unseen'; roomId: number; seq: number }
  /** I am about to move a job (ownJobNotice.ts): the notice it brings as `seq` is mine, not news. */
  | { type: 'own_notice_expected'; roomId: number; seq: number; content: string }
  /** That notice came and was read for me, or did not come (someone else's message first, the move failed, too late). */
  | { type: 'own_notice_settled'; roomId: number; seq: number }
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
  ownNotices: [],
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

/** The pure reducer. Unknown rooms are tolerated: a frame may race a `room` event. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'connection': {
      // Until the tab gets in (or is closed for another reason), including its next tries.
      const tooManyTabs =
        action.closeCode === CloseCode.TOO_MANY_SOCKETS ||
        (state.tooManyTabs && action.closeCode === undefined && action.state !== 'open' && action.state !== 'closed');
      // Off the socket no "stopped typing" can come: an indicator would stay until the reconnect.
      const typing = action.state === 'open' ? state.typing : initialChatState.typing;
      const same = state.connection === action.state && state.tooManyTabs === tooManyTabs && state.typing === typing;
      return same ? state : { ...state, connection: action.state, tooManyTabs, typing };
    }
    case 'ready':
      return applyReady(state, action.user, action.rooms, action.totalUnread);
    case 'message':
      return withOwnReadThrough(applyMessage(state, action.message), action.message.roomId);
    case 'message_updated':
      return applyMessageUpdated(state, action.message);
    case 'history_started':
      return updateRoomMessages(state, action.roomId, (rm) => ({
        ...rm,
        fetch: action.direction === 'initial' ? rm.fetch.startInitial() : rm.fetch.startOlder(),
      }));
    case 'history_loaded': {
      const loaded = updateRoomMessages(state, action.roomId, (rm) => ({
        ...rm,
        messages: mergeMessages(rm.messages, action.messages),
        pending: withoutAcknowledged(rm.pending, action.messages, state.me),
        fetch:
          action.direction === 'initial'
            ? rm.fetch.finishInitial(action.hasMore || hasOlderThan(rm.messages, action.messages))
            : rm.fetch.finishOlder(action.hasMore),
      }));
      return withOwnReadThrough(loaded, action.roomId);
    }
    case 'history_failed':
      return updateRoomMessages(state, action.roomId, (rm) => ({ ...rm, fetch: rm.fetch.failed() }));
    case 'history_refreshed':
      return updateRoomMessages(state, action.roomId, (rm) => {
        const messages = refreshHeld(rm.messages, action.messages);
        return messages === rm.messages ? rm : { ...rm, messages };
      });
    case 'unread':
      return applyUnread(state, action.roomId, action.unread, action.totalUnread);
    case 'receipt':
      return updateRoomParticipants(state, action.roomId, (p) =>
        p.id === action.userId && p.lastReadSeq < action.lastReadSeq ? { ...p, lastReadSeq: action.lastReadSeq } : p,
      );
    case 'typing':
      return applyTyping(state, action);
    case 'presence':
      return updateMemberInRooms(state, action.userId, (p) =>
        p.id === action.userId && (p.online !== action.online || p.lastSeen !== action.lastSeen)
          ? { ...p, online: action.online, lastSeen: action.lastSeen }
          : p,
      );
    case 'room':
      // Its participants carry the server's marks, which my own messages do not move.
      return withOwnReadThrough(withoutClosedTyping(upsertRooms(state, [action.room]), action.room), action.room.id);
    case 'send_started':
      return updateRoomMessages(state, action.pending.roomId, (rm) =>
        rm.pending.some((p) => p.clientId === action.pending.clientId)
          ? rm
          : { ...rm, pending: [...rm.pending, action.pending] },
      );
    case 'send_failed':
      return updatePending(state, action.roomId, action.clientId, (p) => afterFailure(p, action.error, action));
    case 'send_written':
      return updatePending(state, action.roomId, action.clientId, (p) => (p.mayBeStored ? p : { ...p, mayBeStored: true }));
    case 'send_retried':
      return updatePending(state, action.roomId, action.clientId, (p) => ({ ...p, status: 'pending', error: null }));
    case 'send_discarded':
      return updateRoomMessages(state, action.roomId, (rm) =>
        rm.pending.some((p) => p.clientId === action.clientId) ? { ...rm, pending: rm.pending.filter((p) => p.clientId !== action.clientId) } : rm,
      );
    case 'read_locally':
      return withOwnReadThrough(applyReadLocally(state, action.roomId, action.seq), action.roomId);
    case 'panel':
      if (state.panelOpen === action.open) return state;
      return {
        ...state,
        panelOpen: action.open,
        unreadMarker: action.open ? markerOnShowing(state, state.activeRoomId) : null,
        listQuery: action.open ? state.listQuery : '',
      };
    case 'open_room':
      if (state.activeRoomId === action.roomId) return state;
      return withoutStaleNotice({ ...state, activeRoomId: action.roomId, unreadMarker: state.panelOpen ? markerOnShowing(state, action.roomId) : null });
    case 'first_new_unreachable': {
      const marker = state.unreadMarker;
      return marker?.roomId === action.roomId && !marker.far ? { ...state, unreadMarker: { ...marker, far: true } } : state;
    }
    case 'arrived_unseen': {
      const marker = markerOnArrival(state, action.roomId, action.seq);
      return marker === state.unreadMarker ? state : { ...state, unreadMarker: marker };
    }
    case 'own_notice_expected':
      return { ...state, ownNotices: [...state.ownNotices, { roomId: action.roomId, seq: action.seq, content: action.content }] };
    case 'own_notice_settled': {
      const at = state.ownNotices.findIndex((n) => n.roomId === action.roomId && n.seq === action.seq);
      return at < 0 ? state : { ...state, ownNotices: state.ownNotices.filter((_, i) => i !== at) };
    }
    case 'notice': {
      const about = action.text === null ? null : action.about ?? null;
      return state.notice === action.text && state.noticeAbout === about ? state : { ...state, notice: action.text, noticeAbout: about };
    }
    case 'list_query':
      return state.listQuery === action.query ? state : { ...state, listQuery: action.query };
    case 'delete_started':
      return state.deleting.includes(action.messageId) ? state : { ...state, deleting: [...state.deleting, action.messageId] };
    case 'delete_ended':
      return state.deleting.includes(action.messageId) ? { ...state, deleting: state.deleting.filter((id) => id !== action.messageId) } : state;
    case 'draft_text':
    case 'draft_attachment':
    case 'draft_cleared':
    case 'edit_started':
    case 'edit_changed':
    case 'edit_ended':
    case 'edit_saving':
    case 'edit_answered': {
      const drafts = reduceDrafts(state.drafts, action);
      return drafts === state.drafts ? state : withoutStaleNotice({ ...state, drafts });
    }
    case 'reset':
      return initialChatState;
  }
}

function applyReady(state: ChatState, user: User, rooms: Room[], totalUnread: number): ChatState {
  // A reconnect's `ready` is the truth about rooms and counts; loaded messages
  // stay (the client library fills any gap through history afterSeq, and the
  // controller reads loaded pages again for edits and deletions missed).
  // Typing indicators from before the reconnect may never get their `false`.
  const next = upsertRooms({ ...state, me: user, everReady: true, connection: 'open', tooManyTabs: false, rooms: {}, memberRooms: new Map(), jobRooms: [], typing: {} }, rooms);
  // The server's marks do not move for my own messages: read through them here.
  return withOwnReadThroughAll({ ...next, totalUnread });
}

function withoutAcknowledged(pending: readonly PendingMessage[], messages: readonly Message[], me: User | null): readonly PendingMessage[] {
  if (pending.length === 0 || !me) return pending;
  const acked = new Set(messages.filter((m) => m.sender?.id === me.id && m.clientId).map((m) => m.clientId));
  const rest = pending.filter((p) => !acked.has(p.clientId));
  return rest.length === pending.length ? pending : rest;
}

function updateRoomMessages(state: ChatState, roomId: number, fn: (rm: RoomMessages) => RoomMessages): ChatState {
  const held = roomMessagesOf(state, roomId);
  const next = fn(held);
  if (next === held) return state;
  return { ...state, roomMessages: { ...state.roomMessages, [roomId]: next } };
}

function updatePending(state: ChatState, roomId: number, clientId: string, fn: (p: PendingMessage) => PendingMessage): ChatState {
  return updateRoomMessages(state, roomId, (rm) =>
    rm.pending.some((p) => p.clientId === clientId)
      ? { ...rm, pending: rm.pending.map((p) => (p.clientId === clientId ? fn(p) : p)) }
      : rm,
  );
}

function applyMessage(state: ChatState, message: Message): ChatState {
  let next = updateRoomMessages(state, message.roomId, (rm) => {
    const pending = withoutAcknowledged(rm.pending, [message], state.me);
    const duplicate = rm.messages.some((m) => m.seq === message.seq);
    if (duplicate && pending === rm.pending) return rm;
    return { ...rm, messages: duplicate ? rm.messages : mergeMessages(rm.messages, [message]), pending };
  });
  const room = next.rooms[message.roomId];
  if (room && message.seq > (room.lastMessage?.seq ?? 0)) {
    const updated: Room = { ...room, lastMessage: message, lastSeq: Math.max(room.lastSeq, message.seq) };
    const rooms = { ...next.rooms, [room.id]: updated };
    next = { ...next, rooms, roomOrder: placeRooms(rooms, next.roomOrder, [room.id]) };
  }
  // A message from someone ends their typing indicator.
  const typers = next.typing[message.roomId];
  if (message.sender && typers?.some((t) => t.userId === message.sender?.id)) {
    next = { ...next, typing: { ...next.typing, [message.roomId]: typers.filter((t) => t.userId !== message.sender?.id) } };
  }
  return next;
}

function applyMessageUpdated(state: ChatState, update: Message): ChatState {
  // Updates can come late (a node's Redis outage, a history page read before an edit): never roll back.
  const known = roomMessagesOf(state, update.roomId).messages.find((m) => m.id === update.id) ?? state.rooms[update.roomId]?.lastMessage;
  const message = known?.id === update.id ? newerCopy(known, update) : update;
  if (message === known) return state;
  let next = updateRoomMessages(state, message.roomId, (rm) => {
    const held = rm.messages.some((m) => m.id === message.id) ? rm.messages.map((m) => (m.id === message.id ? message : m)) : rm.messages;
    // Replies are requoted even when the original is on a page not loaded.
    const messages = requoteReplies(held, message);
    const pending = requoteReplies(rm.pending, message);
    return messages === rm.messages && pending === rm.pending ? rm : { ...rm, messages, pending };
  });
  const room = next.rooms[message.roomId];
  if (room?.lastMessage?.id === message.id) {
    next = { ...next, rooms: { ...next.rooms, [room.id]: { ...room, lastMessage: message } } };
  }
  return next;
}

function applyTyping(
  state: ChatState,
  action: { roomId: number; userId: number; username: string; isTyping: boolean },
): ChatState {
  // A relay already on its way when the room closed: the server takes no more typing there.
  if (action.isTyping && state.rooms[action.roomId]?.isActive === false) return state;
  const held = state.typing[action.roomId] ?? [];
  const present = held.some((t) => t.userId === action.userId);
  if (present === action.isTyping) return state;
  const next = action.isTyping
    ? [...held, { userId: action.userId, username: action.username }]
    : held.filter((t) => t.userId !== action.userId);
  return { ...state, typing: { ...state.typing, [action.roomId]: next } };
}

/**
 * A closed room takes no typing: a "typing" held from before it closed would otherwise
 * stay until its `false` (the server's expiry, up to 6 s later).
 */
function withoutClosedTyping(state: ChatState, room: Room): ChatState {
  if (room.isActive || !state.typing[room.id]) return state;
  const { [room.id]: _closed, ...typing } = state.typing;
  return { ...state, typing };
}

/** Holds the state and notifies subscribers after each change. */
export class ChatStore {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();

  constructor(initial: ChatState = initialChatState) {
    this.state = initial;
  }

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch = (action: ChatAction): void => {
    const next = chatReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  };
}
