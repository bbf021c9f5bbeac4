/**
 * Node-only entry (`@ecc/client/node`): the `ws` package adapted to the
 * client's WebSocket interface, with Bearer authentication. Kept apart so the
 * main entry stays free of Node imports for the browser.
 */
import WebSocket from 'ws';
import type { NodeSocketOptions, WebSocketCtor, WebSocketLike } from './socket.ts';

/**
 * A WebSocket constructor that sends `Authorization: Bearer <token>` on the
 * upgrade. `new ChatClient({ url, userId, WebSocket: nodeWebSocket(token) })`.
 * (Passing `WebSocket: ws` together with `token` works too.)
 */
export function nodeWebSocket(token?: string, extra: NodeSocketOptions = {}): WebSocketCtor {
  const headers: Record<string, string> = { ...extra.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  return class NodeWebSocket extends WebSocket {
    constructor(url: string, protocolsOrOptions?: string | string[] | NodeSocketOptions) {
      const given = typeof protocolsOrOptions === 'object' && !Array.isArray(protocolsOrOptions) ? protocolsOrOptions : {};
      super(url, { ...given, headers: { ...headers, ...given.headers } });
    }
  } as unknown as new (url: string, protocolsOrOptions?: string | string[] | NodeSocketOptions) => WebSocketLike;
}

/** The plain `ws` constructor typed for ChatClient (pass `token` in the client options). */
export const NodeWebSocket = WebSocket as unknown as WebSocketCtor;
