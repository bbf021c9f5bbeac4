/**
 * Typing indicators per (socket, room): relays state changes to the other
 * participants, expires a `true` that is not refreshed in time as `false`,
 * and sends `false` when the typing socket closes. Repeating the same
 * state is relayed at most once per second (it only refreshes the expiry).
 * A user typing in two tabs of this node is typing until both stop: one tab
 * stopping does not relay `false` while the other still types. How often a
 * user's state in a room is relayed at all is bounded (typingRelays.ts).
 */
import { roomTopic } from '../fanout/bus.ts';
import type { Hub } from './hub.ts';
import { TypingRelays } from './typingRelays.ts';

const REPEAT_RELAY_MS = 1000;

interface TypingState {
  userId: number;
  username: string;
  roomId: number;
  lastRelayedAt: number;
  timer: NodeJS.Timeout;
}

export class TypingTracker {
  /** socket id → room id → state, only while typing. */
  private readonly active = new Map<string, Map<number, TypingState>>();
  /** `${userId}:${roomId}` → how many of the user's sockets here are typing in the room. */
  private readonly typingSockets = new Map<string, number>();
  private readonly relays: TypingRelays;

  constructor(
    private readonly hub: Hub,
    private readonly expiryMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.relays = new TypingRelays((userId, username, roomId, isTyping) => this.emit(userId, username, roomId, isTyping), now);
  }

  update(socketId: string, user: { id: number; username: string }, roomId: number, isTyping: boolean): void {
    const rooms = this.active.get(socketId);
    const current = rooms?.get(roomId);
    if (!isTyping) {
      if (current) this.stop(socketId, current);
      else if (!this.typingSockets.has(typingKey(user.id, roomId))) this.relay(user.id, user.username, roomId, false);
      return;
    }
    if (current) {
      clearTimeout(current.timer);
      current.timer = this.expiryTimer(socketId, current);
      if (this.now() - current.lastRelayedAt >= REPEAT_RELAY_MS) {
        current.lastRelayedAt = this.now();
        this.relay(user.id, user.username, roomId, true);
      }
      return;
    }
    const state: TypingState = {
      userId: user.id,
      username: user.username,
      roomId,
      lastRelayedAt: this.now(),
      timer: undefined as unknown as NodeJS.Timeout,
    };
    state.timer = this.expiryTimer(socketId, state);
    let map = rooms;
    if (!map) {
      map = new Map();
      this.active.set(socketId, map);
    }
    map.set(roomId, state);
    const key = typingKey(user.id, roomId);
    this.typingSockets.set(key, (this.typingSockets.get(key) ?? 0) + 1);
    this.relay(user.id, user.username, roomId, true);
  }

  /** Whether some socket of the user on this node is typing in the room. */
  typingHere(userId: number, roomId: number): boolean {
    return this.typingSockets.has(typingKey(userId, roomId));
  }

  /** The socket closed: whatever it was typing stops. */
  socketClosed(socketId: string): void {
    const rooms = this.active.get(socketId);
    if (!rooms) return;
    for (const state of [...rooms.values()]) this.stop(socketId, state);
  }

  private expiryTimer(socketId: string, state: TypingState): NodeJS.Timeout {
    const timer = setTimeout(() => this.stop(socketId, state), this.expiryMs);
    timer.unref();
    return timer;
  }

  private stop(socketId: string, state: TypingState): void {
    clearTimeout(state.timer);
    const rooms = this.active.get(socketId);
    if (rooms?.get(state.roomId) !== state) return;
    rooms.delete(state.roomId);
    if (rooms.size === 0) this.active.delete(socketId);
    const key = typingKey(state.userId, state.roomId);
    const stillTyping = (this.typingSockets.get(key) ?? 1) - 1;
    if (stillTyping > 0) {
      this.typingSockets.set(key, stillTyping);
      return;
    }
    this.typingSockets.delete(key);
    this.relay(state.userId, state.username, state.roomId, false);
  }

  private relay(userId: number, username: string, roomId: number, isTyping: boolean): void {
    this.relays.relay(userId, username, roomId, isTyping);
  }

  private emit(userId: number, username: string, roomId: number, isTyping: boolean): void {
    this.hub.emit(roomTopic(roomId), {
      kind: 'frame',
      frame: { type: 'typing', roomId, userId, username, isTyping },
      exceptUserId: userId,
    });
  }
}

const typingKey = (userId: number, roomId: number): string => `${userId}:${roomId}`;
