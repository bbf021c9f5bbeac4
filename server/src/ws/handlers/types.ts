/** The shape shared by every client-frame handler. */
import type { ClientFrameOf, ClientFrameType, ServerFrame, User } from '@ecc/protocol';
import type { Logger } from '../../logger.ts';
import type { Services } from '../../services.ts';
import type { UnreadUpdate } from '../unreadGate.ts';

/** What a handler knows about the socket it serves. */
export interface HandlerSocket {
  readonly id: string;
  /** Answers this socket only. */
  sendFrame(frame: ServerFrame): void;
  /** The same, for a frame already serialized. */
  sendText(text: string): void;
  /** A send's serialized `ack`: the socket holds its message from then on (no redelivery of it is sent here). */
  sendAck(roomId: number, seq: number, text: string): void;
  /** An unread count, unless this socket was sent a later one (unreadGate.ts). */
  sendUnread(update: UnreadUpdate): void;
  /** The send being handled, kept in order with this socket's other sends to its room (sendFence.ts). */
  orderSend?(roomId: number, clientId: string): SendOrder;
}

/** A send's place among its socket's sends to a room. */
export interface SendOrder {
  /** True when it must not be stored now: an earlier send to the room failed and the client did not know yet. */
  held(): boolean;
  /** It failed for a reason a retry may not meet (nothing stored): later sends are held until the client knows. */
  failed(): void;
}

export interface HandlerContext {
  services: Services;
  socket: HandlerSocket;
  user: User;
  log: Logger;
}

/** A handler per client frame type; errors are thrown as ChatError and answered by the connection. */
export type FrameHandler<T extends ClientFrameType> = (ctx: HandlerContext, frame: ClientFrameOf<T>) => Promise<void>;

export type FrameHandlers = { [T in ClientFrameType]: FrameHandler<T> };
