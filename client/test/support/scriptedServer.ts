/**
 * A scripted WebSocket peer for ChatClient tests: a real `ws` server on port 0
 * that greets every connection with `ready` and lets the test read the
 * client's frames and answer them by hand (to drop sockets at exact moments,
 * send invalid frames, withhold pongs).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage } from 'node:http';
import { afterEach, beforeEach } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Message, Room, ServerFrame, User } from '@ecc/protocol';
import { ChatClient, type ChatClientOptions } from '../../src/index.ts';
import { NodeWebSocket } from '../../src/node.ts';
import { record, seqsOf } from './recorder.ts';

export const ALICE: User = { id: 1, username: 'alice', displayName: 'Alice', role: 'client' };
export const BOB: User = { id: 2, username: 'bob', displayName: 'Bob', role: 'cleaner' };

export function message(roomId: number, seq: number, extra: Partial<Message> = {}): Message {
  return {
    id: roomId * 10_000 + seq,
    roomId,
    seq,
    sender: BOB,
    type: 'text',
    content: `message ${seq}`,
    attachment: null,
    replyTo: null,
    clientId: null,
    createdAt: new Date(0).toISOString(),
    editedAt: null,
    deletedAt: null,
    ...extra,
  };
}

export function room(id: number, lastSeq: number): Room {
  return {
    id,
    name: `Room ${id}`,
    type: 'job',
    job: null,
    participants: [],
    unread: 0,
    lastSeq,
    lastMessage: null,
    updatedAt: new Date(0).toISOString(),
    isActive: true,
  };
}

export type ClientFrameSeen = Record<string, unknown> & { type: string };

export interface Peer {
  socket: WebSocket;
  request: IncomingMessage;
  frames: ClientFrameSeen[];
  send(frame: ServerFrame | Record<string, unknown>): void;
  /** Resolves with the first frame (already received or future) matching `pred`. */
  next(pred: (f: ClientFrameSeen) => boolean, timeoutMs?: number): Promise<ClientFrameSeen>;
}

export interface ScriptedServer {
  url: string;
  peers: Peer[];
  /** Rooms put in the `ready` of the next connections. */
  rooms: Room[];
  /** Set false to hold `ready` back. */
  autoReady: boolean;
  /** Set false to withhold `pong`. */
  answerPings: boolean;
  /**
   * Set to an HTTP status to refuse upgrades with it (as a server refuses an ended session with 401, or a load
   * balancer without a backend answers 502). `GET /api/me` answers 401 while this is 401, else 200.
   */
  refuseUpgrades: number | undefined;
  /** Called with every client frame once recorded: a server that answers by itself. */
  onFrame: ((peer: Peer, frame: ClientFrameSeen) => void) | undefined;
  nextPeer(timeoutMs?: number): Promise<Peer>;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const http = createServer((req, res) => {
    const ended = server.refuseUpgrades === 401;
    res.writeHead(req.url === '/api/me' && !ended ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(ended ? { error: { code: 'UNAUTHORIZED', message: 'Session ended' } } : { user: ALICE }));
  });
  const wss = new WebSocketServer({
    server: http,
    verifyClient: (_info, accept) => (server.refuseUpgrades === undefined ? accept(true) : accept(false, server.refuseUpgrades)),
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const port = (http.address() as AddressInfo).port;
  const waiting: ((p: Peer) => void)[] = [];
  const server: ScriptedServer = {
    url: `http://127.0.0.1:${port}`,
    peers: [],
    rooms: [],
    autoReady: true,
    answerPings: true,
    refuseUpgrades: undefined,
    onFrame: undefined,
    nextPeer(timeoutMs = 10_000) {
      const seen = server.peers.length;
      return waitFor(() => server.peers[seen], timeoutMs, 'a new connection', (resolve) => waiting.push(resolve));
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  wss.on('connection', (socket, request) => {
    const listeners = new Set<() => void>();
    const peer: Peer = {
      socket,
      request,
      frames: [],
      send: (frame) => socket.send(JSON.stringify(frame)),
      next(pred, timeoutMs = 10_000) {
        return waitFor(() => peer.frames.find(pred), timeoutMs, 'a client frame', (wake) => {
          const check = () => {
            const found = peer.frames.find(pred);
            if (found) {
              listeners.delete(check);
              wake(found);
            }
          };
          listeners.add(check);
        });
      },
    };
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ClientFrameSeen;
      if (frame.type === 'ping' && server.answerPings) peer.send({ type: 'pong' });
      peer.frames.push(frame);
      server.onFrame?.(peer, frame);
      for (const l of [...listeners]) l();
    });
    server.peers.push(peer);
    if (server.autoReady) {
      peer.send({ type: 'ready', user: ALICE, rooms: server.rooms, totalUnread: 0, serverTime: new Date().toISOString() });
    }
    for (const w of waiting.splice(0)) w(peer);
  });
  return server;
}

export interface ScriptedTest {
  /** This test's server; its `ready` lists room 1, with no messages yet, unless the test changes `rooms`. */
  server: ScriptedServer;
  /** The client under test, when the test puts one here: closed after the test. */
  client: ChatClient | undefined;
}

/**
 * Registers the hooks of the enclosing file or describe: before each test a
 * new scripted server, after it the test's client and the server are closed.
 * Returns the object the hooks fill in: read it inside tests.
 */
export function scriptedServerPerTest(): ScriptedTest {
  const test = { client: undefined } as ScriptedTest;
  beforeEach(async () => {
    test.server = await startScriptedServer();
    test.server.rooms = [room(1, 0)];
  });
  afterEach(async () => {
    test.client?.close();
    test.client = undefined;
    await test.server.close();
  });
  return test;
}

/** A ChatClient (user 1, fast backoff) against this test's scripted peer, with every event recorded. */
export function startScripted(test: ScriptedTest, extra: Partial<ChatClientOptions> = {}) {
  const c = new ChatClient({
    url: test.server.url,
    userId: 1,
    token: 't0ken',
    WebSocket: NodeWebSocket,
    backoff: { initialMs: 20, maxMs: 100 },
    ...extra,
  });
  test.client = c;
  const events = record(c);
  return { c, events, seqs: (roomId = 1) => seqsOf(events, roomId), server: test.server };
}

function waitFor<T>(
  now: () => T | undefined,
  timeoutMs: number,
  what: string,
  subscribe: (wake: (v: T) => void) => void,
): Promise<T> {
  const found = now();
  if (found !== undefined) return Promise.resolve(found);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), timeoutMs);
    subscribe((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

export { until } from './recorder.ts';
