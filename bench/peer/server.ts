/**
 * The reference peer: what a careful Node team would write with Socket.IO —
 * auth middleware with the same session tokens, one Socket.IO room per chat
 * room joined on connect, the Redis adapter for multi-node fan-out, and for
 * each `send`: validate, check membership, INSERT through the same storage
 * code and database as our server, then `socket.to(room).emit` and the ack
 * callback. Per-message durable insert, no batching: the idiomatic design.
 *
 * Env: PORT, HOST, DATA_DIR, DATABASE_URL (optional), REDIS_URL.
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { z } from 'zod';
import { DEFAULT_LIMITS, type Message, type User } from '@ecc/protocol';
import { createStore, hashToken } from '../src/serverApi.ts';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).default(8100),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
});

const SendPayload = z.object({
  roomId: z.number().int().positive(),
  clientId: z.string().min(1).max(DEFAULT_LIMITS.clientIdMaxChars),
  content: z.string().min(1).max(DEFAULT_LIMITS.maxContentChars),
});

type SendAnswer = { ok: true; message: Message } | { ok: false; code: string };

interface ClientToServer {
  send: (payload: unknown, ack: (answer: SendAnswer) => void) => void;
}
interface ServerToClient {
  ready: (info: { rooms: number }) => void;
  message: (message: Message) => void;
}
interface SocketData {
  user: User;
}

const env = Env.parse(process.env);
const store = await createStore({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
await store.migrate();
const pubClient = new Redis(env.REDIS_URL);
const subClient = pubClient.duplicate();

const httpServer = createServer((req, res) => {
  if (req.url !== '/healthz') {
    res.writeHead(404).end();
    return;
  }
  Promise.all([store.ping(), pubClient.ping()]).then(
    () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    (error: unknown) => res.writeHead(503).end(String(error)),
  );
});

const io = new Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>(httpServer, {
  adapter: createAdapter(pubClient, subClient),
  transports: ['websocket'],
  serveClient: false,
});

io.use((socket, next) => {
  const token: unknown = socket.handshake.auth.token;
  if (typeof token !== 'string') return next(new Error('unauthorized'));
  store.findSession(hashToken(token)).then(
    (session) => {
      if (!session) return next(new Error('unauthorized'));
      socket.data.user = session.user;
      next();
    },
    (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
  );
});

io.on('connection', (socket) => {
  const user = socket.data.user;
  socket.on('send', (payload, ack) => {
    if (typeof ack !== 'function') return;
    const parsed = SendPayload.safeParse(payload);
    if (!parsed.success) return ack({ ok: false, code: 'BAD_REQUEST' });
    const { roomId, clientId, content } = parsed.data;
    const room = `room:${roomId}`;
    if (!socket.rooms.has(room)) return ack({ ok: false, code: 'FORBIDDEN' });
    store
      .appendMessages([{ roomId, senderId: user.id, type: 'text', content, clientId }])
      .then(([result]) => {
        if (!result) return ack({ ok: false, code: 'INTERNAL' });
        if (!result.ok) return ack({ ok: false, code: result.code });
        if (!result.duplicate) socket.to(room).emit('message', result.message);
        ack({ ok: true, message: result.message });
      })
      .catch((error: unknown) => {
        console.error('peer: send failed', error);
        ack({ ok: false, code: 'INTERNAL' });
      });
  });
  store.listRoomsFor(user.id).then(
    async ({ rooms }) => {
      await socket.join(rooms.map((r) => `room:${r.id}`));
      socket.emit('ready', { rooms: rooms.length });
    },
    (error: unknown) => {
      console.error('peer: listing rooms failed', error);
      socket.disconnect(true);
    },
  );
});

httpServer.listen(env.PORT, env.HOST);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await io.close();
  await store.close();
  pubClient.disconnect();
  subClient.disconnect();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
