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
import { initialChatState, roomMessagesOf, type ChatAction, type ChatState, type RoomMessages } from './chatState.ts';
import { reduceDrafts } from './drafts.ts';
import { hasOlderThan, mergeMessages, refreshHeld, requoteReplies } from './messageWindow.ts';
import { markerOnArrival, markerOnShowing, withOpening } from './unreadMarker.ts';
import { applyReadLocally, applyUnread, withOwnReadThrough, withOwnReadThroughAll } from './readState.ts';
import { withoutStaleNotice } from './fileNotice.ts';
import { placeRooms, updateMemberInRooms, updateRoomParticipants, upsertRooms } from './rooms.ts';
import type { PendingMessage } from './unsentMessages.ts';
import { afterFailure } from './sendFailures.ts';

// The state's shape and accessors live in chatState.ts; importers keep reading them from here.
export * from './chatState.ts';
export type { Draft, DraftAttachment, DraftEdit } from './drafts.ts';
export type { PendingMessage } from './unsentMessages.ts';

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
    case 'opening_read': {
      const marker = state.unreadMarker;
      return marker?.roomId === action.roomId ? { ...state, unreadMarker: withOpening(marker, action.opening, state.me?.id) } : state;
    }
    case 'arrived_unseen': {
      const marker = markerOnArrival(state, action.roomId, action.seq);
      return marker === state.unreadMarker ? state : { ...state, unreadMarker: marker };
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
