/**
 * What a generator needs from a chat connection, independent of the wire
 * protocol: our contract over raw `ws`, or the Socket.IO reference peer.
 */
import { z } from 'zod';
import type { FixtureUser } from '../fixtures.ts';

/** The parts of a delivered message the generator measures. */
export interface Delivered {
  roomId: number;
  seq: number;
  senderId: number | null;
  clientId: string | null;
  content: string;
}

/**
 * A message as both servers deliver it (the protocol's `Message`: the peer
 * sends what the same storage code returns), read down to what the generator
 * measures. Only the framing around it differs between the two drivers.
 */
export const DeliveredMessage = z
  .object({
    roomId: z.number(),
    seq: z.number(),
    sender: z.object({ id: z.number() }).nullable(),
    clientId: z.string().nullable(),
    content: z.string(),
  })
  .transform((m): Delivered => ({ roomId: m.roomId, seq: m.seq, senderId: m.sender?.id ?? null, clientId: m.clientId, content: m.content }));

export interface ConnectionEvents {
  message(recipientId: number, message: Delivered): void;
  ack(senderId: number, clientId: string): void;
  sendError(senderId: number, ref: string | undefined, code: string): void;
  closed(userId: number, detail: string): void;
}

export interface Connection {
  readonly userId: number;
  send(roomId: number, clientId: string, content: string): void;
  /** Marks the room read up to `seq` (absent: the protocol has no read marks, as the peer's). */
  read?(roomId: number, seq: number): void;
  /** One history page before `beforeSeq`; resolves when the answer arrives. */
  history(roomId: number, beforeSeq: number, limit: number): Promise<void>;
  /** Each room's `lastSeq` as `ready` gave it (absent: the protocol has none, as the peer's). */
  readonly readyLastSeq?: ReadonlyMap<number, number>;
  /** The page of messages just after `afterSeq` (a reconnecting client's catch-up). */
  historyAfter?(roomId: number, afterSeq: number, limit: number): Promise<{ messages: Delivered[]; hasMore: boolean }>;
  typing?(roomId: number, isTyping: boolean): void;
  close(): void;
}

/** Opens one user's connection; resolves once the server said it is ready. */
export type Connector = (user: FixtureUser, baseUrl: string, events: ConnectionEvents) => Promise<Connection>;
