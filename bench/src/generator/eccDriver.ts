/**
 * The generator's view of our wire contract over a raw `ws` socket: one
 * socket per user at /ws/user/{id}/ with a Bearer token. Raw sockets keep
 * thousands of connections cheap for the generator.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { DeliveredMessage, type Connection, type ConnectionEvents, type Connector, type Delivered } from './driver.ts';

type Page = { messages: unknown[]; hasMore: boolean };

// Only the frames the generator acts on are checked in full; the rest
// (unread, presence, receipt ...) only need a string `type`.
const Frame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), rooms: z.array(z.object({ id: z.number(), lastSeq: z.number() })) }),
  z.object({ type: z.literal('ack'), clientId: z.string() }),
  z.object({ type: z.literal('message'), message: DeliveredMessage }),
  // Messages are read only by a catch-up (historyAfter): the history scenario's timed pages stay unparsed, as before.
  z.object({ type: z.literal('history'), ref: z.string().optional(), messages: z.array(z.unknown()), hasMore: z.boolean() }),
  z.object({ type: z.literal('error'), ref: z.string().optional(), code: z.string(), message: z.string() }),
]);
const AnyFrame = z.object({ type: z.string() });
const HANDLED = new Set(['ready', 'ack', 'message', 'history', 'error']);
const TYPE_PREFIX = /^\{"type":"([a-z_]+)"/;

export const connectEcc: Connector = (user, baseUrl, events) =>
  new Promise((resolve, reject) => {
    const url = `${baseUrl.replace(/^http/, 'ws')}/ws/user/${user.id}/`;
    const socket = new WebSocket(url, {
      headers: { Authorization: `Bearer ${user.token}` },
      perMessageDeflate: false,
    });
    const pendingHistory = new Map<string, (page: Page) => void>();
    const readyLastSeq = new Map<number, number>();
    let ready = false;
    let historyRefs = 0;
    const request = (frame: Record<string, unknown>): Promise<Page> => {
      historyRefs += 1;
      const ref = `h${historyRefs}`;
      return new Promise<Page>((done) => {
        // A closed socket answers nothing: the caller must not hang.
        if (socket.readyState !== WebSocket.OPEN) return done({ messages: [], hasMore: false });
        pendingHistory.set(ref, done);
        socket.send(JSON.stringify({ type: 'history', ref, ...frame }));
      });
    };

    const connection: Connection = {
      userId: user.id,
      send(roomId, clientId, content) {
        socket.send(JSON.stringify({ type: 'send', ref: clientId, roomId, clientId, content }));
      },
      read(roomId, seq) {
        socket.send(JSON.stringify({ type: 'read', roomId, seq }));
      },
      async history(roomId, beforeSeq, limit) {
        await request({ roomId, beforeSeq, limit });
      },
      readyLastSeq,
      async historyAfter(roomId, afterSeq, limit) {
        const page = await request({ roomId, afterSeq, limit });
        return { messages: page.messages.map((m): Delivered => DeliveredMessage.parse(m)), hasMore: page.hasMore };
      },
      typing(roomId, isTyping) {
        socket.send(JSON.stringify({ type: 'typing', roomId, isTyping }));
      },
      close() {
        socket.close(1000);
      },
    };

    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        events.closed(user.id, 'binary frame from server');
        return;
      }
      try {
        handleFrame(String(data));
      } catch (error) {
        // A frame the contract does not allow: count it, keep the socket.
        events.sendError(user.id, undefined, 'BAD_SERVER_FRAME');
        if (process.env.BENCH_DEBUG) console.error(error);
      }
    });
    socket.on('unexpected-response', (_req, res) => {
      reject(new Error(`upgrade refused: HTTP ${res.statusCode}`));
      socket.terminate();
    });
    socket.on('error', (error) => {
      if (!ready) reject(error);
    });
    socket.on('close', (code, reason) => {
      for (const done of pendingHistory.values()) done({ messages: [], hasMore: false });
      pendingHistory.clear();
      if (!ready) reject(new Error(`closed before ready: ${code} ${String(reason)}`));
      else events.closed(user.id, `close ${code}`);
    });

    function handleFrame(text: string): void {
      // Fast path: most frames a recipient gets are `unread`, which the
      // generator ignores; skipping them unparsed keeps it off its CPU limit.
      const peeked = TYPE_PREFIX.exec(text)?.[1];
      if (peeked !== undefined && !HANDLED.has(peeked)) return;
      const raw: unknown = JSON.parse(text);
      if (peeked === undefined && !HANDLED.has(AnyFrame.parse(raw).type)) return;
      const frame = Frame.parse(raw);
      switch (frame.type) {
        case 'ready':
          for (const room of frame.rooms) readyLastSeq.set(room.id, room.lastSeq);
          ready = true;
          resolve(connection);
          return;
        case 'ack':
          events.ack(user.id, frame.clientId);
          return;
        case 'message':
          events.message(user.id, frame.message);
          return;
        case 'history': {
          const done = frame.ref === undefined ? undefined : pendingHistory.get(frame.ref);
          if (done && frame.ref !== undefined) {
            pendingHistory.delete(frame.ref);
            done({ messages: frame.messages, hasMore: frame.hasMore });
          }
          return;
        }
        case 'error':
          events.sendError(user.id, frame.ref, frame.code);
          if (frame.ref !== undefined) {
            // A failed history request must not hang the caller.
            const done = pendingHistory.get(frame.ref);
            if (done) {
              pendingHistory.delete(frame.ref);
              done({ messages: [], hasMore: false });
            }
          }
          return;
      }
    }
  });

export type { ConnectionEvents };
