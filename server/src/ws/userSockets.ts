/**
 * This node's sockets by user, and a frame sent to every socket of a user
 * but one (the sender, who gets `ack`). The hub keeps which rooms and topics
 * they hear; this keeps who is here and reaches them.
 */
import type { RoomUpdate, UnreadUpdate } from './unreadGate.ts';

/** What the hub needs of a socket. */
export interface HubSocket {
  readonly id: string;
  readonly userId: number;
  readonly sessionId: number;
  /** Sends an already serialized frame (queued until `ready` was sent). */
  sendText(text: string): void;
  /**
   * Sends a room's serialized `message` frame and remembers its seq; a redelivery is
   * sent only when the socket was sent no later seq of the room. Says whether it was sent.
   */
  sendMessage(roomId: number, seq: number, text: string, redelivery: boolean): boolean;
  /** Sends an unread count unless the socket was sent a later one (unreadGate.ts). */
  sendUnread(update: UnreadUpdate): void;
  /** Sends a `room` frame unless older than `ready`, its count replaced by a later one the socket was sent (unreadGate.ts). */
  sendRoom(update: RoomUpdate): void;
  close(code: number, reason: string): void;
}

export class UserSockets {
  private readonly byUser = new Map<number, Set<HubSocket>>();

  /** Number of this node's sockets of `userId`. */
  count(userId: number): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** Number of this node's sockets. */
  total(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  /** Number of distinct users with a socket here. */
  users(): number {
    return this.byUser.size;
  }

  has(userId: number): boolean {
    return this.byUser.has(userId);
  }

  /** Adds a socket; true when it is the user's first here. */
  add(socket: HubSocket): boolean {
    const set = this.byUser.get(socket.userId);
    if (set) {
      set.add(socket);
      return false;
    }
    const first = new Set<HubSocket>();
    first.add(socket);
    this.byUser.set(socket.userId, first);
    return true;
  }

  /** Removes a socket: 'absent' when it was not here, 'last' when it was the user's last one here. */
  remove(socket: HubSocket): 'absent' | 'others' | 'last' {
    const set = this.byUser.get(socket.userId);
    if (!set || !set.delete(socket)) return 'absent';
    if (set.size > 0) return 'others';
    this.byUser.delete(socket.userId);
    return 'last';
  }

  /** Closes the user's sockets of one session (logout). */
  closeSession(userId: number, sessionId: number, code: number, reason: string): void {
    const sockets = this.byUser.get(userId);
    if (!sockets) return;
    for (const socket of [...sockets]) if (socket.sessionId === sessionId) socket.close(code, reason);
  }

  sendText(userId: number, text: string, exceptSocketId?: string): void {
    const sockets = this.byUser.get(userId);
    if (!sockets) return;
    for (const socket of sockets) if (socket.id !== exceptSocketId) socket.sendText(text);
  }

  /** A room's `message` to every socket of a user (SeenSeqs decides for a redelivery); whether any socket took it. */
  sendMessage(userId: number, roomId: number, seq: number, text: string, redelivery: boolean, exceptSocketId?: string): boolean {
    const sockets = this.byUser.get(userId);
    if (!sockets) return false;
    let sent = false;
    for (const socket of sockets) {
      if (socket.id !== exceptSocketId && socket.sendMessage(roomId, seq, text, redelivery)) sent = true;
    }
    return sent;
  }

  sendUnread(userId: number, update: UnreadUpdate, exceptSocketId?: string): void {
    const sockets = this.byUser.get(userId);
    if (sockets) for (const socket of sockets) if (socket.id !== exceptSocketId) socket.sendUnread(update);
  }

  sendRoom(userId: number, update: RoomUpdate, exceptSocketId?: string): void {
    const sockets = this.byUser.get(userId);
    if (sockets) for (const socket of sockets) if (socket.id !== exceptSocketId) socket.sendRoom(update);
  }
}
