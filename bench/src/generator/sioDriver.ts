/**
 * The generator's view of the Socket.IO reference peer (bench/peer): the
 * same users and tokens, `send` with an ack callback, `message` events.
 */
import { io } from 'socket.io-client';
import { z } from 'zod';
import { DeliveredMessage, type Connection, type Connector } from './driver.ts';

const PeerAck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), message: z.object({ clientId: z.string().nullable() }) }),
  z.object({ ok: z.literal(false), code: z.string() }),
]);

export const connectSio: Connector = (user, baseUrl, events) =>
  new Promise((resolve, reject) => {
    const socket = io(baseUrl, {
      transports: ['websocket'],
      auth: { token: user.token },
      reconnection: false,
      forceNew: true,
    });
    let ready = false;
    const connection: Connection = {
      userId: user.id,
      send(roomId, clientId, content) {
        socket.emit('send', { roomId, clientId, content }, (answer: unknown) => {
          const parsed = PeerAck.safeParse(answer);
          if (!parsed.success) events.sendError(user.id, clientId, 'BAD_ANSWER');
          else if (parsed.data.ok) events.ack(user.id, clientId);
          else events.sendError(user.id, clientId, parsed.data.code);
        });
      },
      history() {
        return Promise.reject(new Error('history is not part of the peer benchmark'));
      },
      close() {
        socket.close();
      },
    };
    socket.on('ready', () => {
      ready = true;
      resolve(connection);
    });
    socket.on('message', (payload: unknown) => {
      events.message(user.id, DeliveredMessage.parse(payload));
    });
    socket.on('connect_error', (error) => {
      if (!ready) reject(error);
    });
    socket.on('disconnect', (reason) => {
      if (ready) events.closed(user.id, reason);
      else reject(new Error(`disconnected before ready: ${reason}`));
    });
  });
