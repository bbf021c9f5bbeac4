/**
 * The slice of the WebSocket API the client uses, met by the browser's
 * `WebSocket` and by the `ws` package in Node, plus the socket URL.
 */

export interface SocketCloseEvent {
  code: number;
  reason?: string;
}

export interface SocketMessageEvent {
  data: unknown;
}

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drop the connection without a closing handshake. */
  terminate?: () => void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: SocketMessageEvent) => void) | null;
  onclose: ((ev: SocketCloseEvent) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** Options object understood by the `ws` package as the second constructor argument. */
export interface NodeSocketOptions {
  headers?: Record<string, string>;
}

/** A WebSocket constructor: the browser's, `ws`, or `nodeWebSocket(token)` from `@ecc/client/node`. */
export type WebSocketCtor = new (url: string, protocolsOrOptions?: string | string[] | NodeSocketOptions) => WebSocketLike;

export const SOCKET_OPEN = 1;

/**
 * The socket URL of a user: `ws(s)://host/ws/user/{userId}/` from the server's
 * http(s) base URL (a ws(s) base is kept as is).
 */
export function socketUrl(baseUrl: string, userId: number): string {
  const url = new URL(`/ws/user/${userId}/`, baseUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`Unsupported server URL protocol: ${url.protocol}`);
  }
  return url.toString();
}
