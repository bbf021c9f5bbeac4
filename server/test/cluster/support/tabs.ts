/**
 * A browser tab as the cluster tests see it: one ChatClient (the project's
 * client library, with reconnect, clientId retries and resync by seq) and a
 * record of everything it delivered to the app.
 */
import { ApiClient, ChatClient, type PresenceEvent, type ReceiptEvent, type TypingEvent } from '@ecc/client';
import { nodeWebSocket } from '@ecc/client/node';
import type { Message, Room, User } from '@ecc/protocol';
import { TestSocket } from '../../support/wsClient.ts';
import { waitUntil } from './redis.ts';

export const DEMO_PASSWORD = 'demo';

/** Signs in over HTTP at `baseUrl`; the token works on every node. */
export async function login(baseUrl: string, username: string): Promise<{ user: User; token: string }> {
  const api = new ApiClient({ baseUrl });
  const { user, token } = await api.login(username, DEMO_PASSWORD);
  return { user, token };
}

/** A raw socket of the signed-in user on `node` (the contract's frames as they are, no client library). */
export function rawSocket(node: { url: string }, session: { user: { id: number }; token: string }): ReturnType<typeof TestSocket.connect> {
  return TestSocket.connect(`${node.url.replace(/^http/, 'ws')}/ws/user/${session.user.id}/`, { token: session.token });
}

export class Tab {
  /** Messages delivered to the app, per room, in delivery order. */
  readonly messages = new Map<number, Message[]>();
  /** Unread per room as the app shows it: from the latest `ready` or `unread`, whichever came last. */
  private readonly unreadNow = new Map<number, number>();
  readonly presence: PresenceEvent[] = [];
  readonly receipts: ReceiptEvent[] = [];
  readonly typing: TypingEvent[] = [];
  readonly closeCodes: number[] = [];
  readyCount = 0;
  totalUnread = 0;
  /** Unread per room as of the latest `ready`. */
  readonly readyUnread = new Map<number, number>();
  /** Rooms of the latest `ready`. */
  rooms: Room[] = [];
  /** Rooms received in `room` events. */
  readonly roomEvents: Room[] = [];

  private constructor(
    readonly name: string,
    readonly user: User,
    readonly client: ChatClient,
  ) {
    client.on('ready', (frame) => {
      this.readyCount++;
      this.totalUnread = frame.totalUnread;
      this.rooms = frame.rooms;
      for (const room of frame.rooms) {
        this.readyUnread.set(room.id, room.unread);
        this.unreadNow.set(room.id, room.unread);
      }
    });
    client.on('message', ({ message }) => {
      const list = this.messages.get(message.roomId) ?? [];
      list.push(message);
      this.messages.set(message.roomId, list);
    });
    client.on('unread', (frame) => {
      this.unreadNow.set(frame.roomId, frame.unread);
      this.totalUnread = frame.totalUnread;
    });
    client.on('presence', (frame) => this.presence.push(frame));
    client.on('room', (frame) => this.roomEvents.push(frame.room));
    client.on('receipt', (frame) => this.receipts.push(frame));
    client.on('typing', (frame) => this.typing.push(frame));
    client.on('state', (event) => {
      if (event.closeCode !== undefined) this.closeCodes.push(event.closeCode);
    });
  }

  /**
   * Opens a tab of `user` against `baseUrl` (a node or the test load balancer) and waits for `ready`.
   * `requestTimeoutMs` is also how long a socket may wait for `ready` (the client's default is 10 s).
   */
  static async open(name: string, baseUrl: string, session: { user: User; token: string }, { requestTimeoutMs = 15_000 } = {}): Promise<Tab> {
    const client = new ChatClient({
      url: baseUrl,
      userId: session.user.id,
      WebSocket: nodeWebSocket(session.token),
      // Quick reconnects keep the tests short; the shape of the back-off is the client's own.
      backoff: { initialMs: 100, maxMs: 1000 },
      requestTimeoutMs,
    });
    const tab = new Tab(name, session.user, client);
    client.connect();
    await tab.waitFor('first ready', () => tab.readyCount >= 1);
    return tab;
  }

  /** Seqs delivered for a room, in order. */
  seqs(roomId: number): number[] {
    return (this.messages.get(roomId) ?? []).map((m) => m.seq);
  }

  contents(roomId: number): string[] {
    return (this.messages.get(roomId) ?? []).map((m) => m.content);
  }

  /**
   * The room's unread count as the app shows it. A message can arrive through
   * the resync after a reconnect instead of live, and then its count comes with
   * `ready`, not with an `unread` event.
   */
  unreadOf(roomId: number): number | undefined {
    return this.unreadNow.get(roomId);
  }

  async waitFor(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
    await waitUntil(`${this.name}: ${what}`, check, timeoutMs);
  }

  close(): void {
    this.client.close();
  }
}
