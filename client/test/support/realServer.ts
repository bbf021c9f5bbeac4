/**
 * Real server fixture for the client's integration tests: `startTestServer`
 * from @ecc/server/testing, plus server-side socket killing and signed-in
 * ChatClients whose events are recorded.
 */
import type { Duplex } from 'node:stream';
import { startTestServer, type TestServer, type TestServerOptions } from '@ecc/server/testing';
import { ApiClient, ChatClient, type ChatClientOptions } from '../../src/index.ts';
import { record, until, type Recorded } from './recorder.ts';
import { tappedWebSocket, type TappedSocket } from './tappedSocket.ts';
import type { User } from '@ecc/protocol';

export interface Harness {
  server: TestServer;
  /** Destroys the server side of every open socket of a user (an abrupt drop); returns how many. */
  killSockets(userId: number): number;
  connectAs(username: string, extra?: Partial<ChatClientOptions>): Promise<Session>;
  close(): Promise<void>;
}

export interface Session {
  api: ApiClient;
  user: User;
  token: string;
  client: ChatClient;
  events: Recorded;
  /** Every socket this client opened, newest last. */
  sockets: TappedSocket[];
}

export async function startHarness(options: TestServerOptions = {}): Promise<Harness> {
  const server = await startTestServer(options);
  const upgrades: { userId: number; socket: Duplex }[] = [];
  server.server.httpServer.on('upgrade', (req, socket: Duplex) => {
    const match = /^\/ws\/user\/(\d+)/.exec(req.url ?? '');
    if (match) upgrades.push({ userId: Number(match[1]), socket });
  });
  const clients: ChatClient[] = [];
  return {
    server,
    killSockets(userId) {
      const open = upgrades.filter((u) => u.userId === userId && !u.socket.destroyed);
      for (const u of open) u.socket.destroy();
      return open.length;
    },
    async connectAs(username, extra = {}) {
      const api = new ApiClient({ baseUrl: server.url });
      const { user, token } = await api.login(username, 'demo');
      const tap = tappedWebSocket();
      const client = new ChatClient({
        url: server.url,
        userId: user.id,
        token,
        WebSocket: tap.WebSocket,
        backoff: { initialMs: 50, maxMs: 500 },
        ...extra,
      });
      clients.push(client);
      const events = record(client);
      client.connect();
      await until(() => client.state === 'open', 15_000, `${username} to be connected`);
      return { api, user, token, client, events, sockets: tap.sockets };
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
    },
  };
}
