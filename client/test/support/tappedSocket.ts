/**
 * A `ws` WebSocket wrapped so a test can lose chosen incoming frames (an
 * `ack` lost in transit) or outgoing ones, and reach every socket the client opened.
 */
import WebSocket from 'ws';
import type { NodeSocketOptions, SocketCloseEvent, SocketMessageEvent, WebSocketCtor, WebSocketLike } from '../../src/socket.ts';

export class TappedSocket implements WebSocketLike {
  readonly inner: WebSocket;
  /** Incoming text frames for which this returns true never reach the client. */
  lose: (frame: { type?: unknown }) => boolean = () => false;
  /** Outgoing text frames for which this returns true never reach the server (a link dead without a close: a lift). */
  swallow: (frame: { type?: unknown }) => boolean = () => false;
  private messageHandler: ((ev: SocketMessageEvent) => void) | null = null;

  constructor(url: string, options?: string | string[] | NodeSocketOptions) {
    this.inner = typeof options === 'object' && !Array.isArray(options) ? new WebSocket(url, options) : new WebSocket(url, options);
    this.inner.onmessage = (ev) => {
      if (typeof ev.data === 'string' && this.lose(JSON.parse(ev.data) as { type?: unknown })) return;
      this.messageHandler?.({ data: ev.data });
    };
  }

  get readyState(): number {
    return this.inner.readyState;
  }
  send(data: string): void {
    if (this.swallow(JSON.parse(data) as { type?: unknown })) return;
    this.inner.send(data);
  }
  close(code?: number, reason?: string): void {
    this.inner.close(code, reason);
  }
  terminate(): void {
    this.inner.terminate();
  }
  get onopen(): ((ev: unknown) => void) | null {
    return null;
  }
  set onopen(fn: ((ev: unknown) => void) | null) {
    this.inner.onopen = fn;
  }
  get onmessage(): ((ev: SocketMessageEvent) => void) | null {
    return this.messageHandler;
  }
  set onmessage(fn: ((ev: SocketMessageEvent) => void) | null) {
    this.messageHandler = fn;
  }
  get onclose(): ((ev: SocketCloseEvent) => void) | null {
    return null;
  }
  set onclose(fn: ((ev: SocketCloseEvent) => void) | null) {
    this.inner.onclose = fn;
  }
  get onerror(): ((ev: unknown) => void) | null {
    return null;
  }
  set onerror(fn: ((ev: unknown) => void) | null) {
    this.inner.onerror = fn;
  }
}

/** A constructor for ChatClient that keeps every socket it makes, newest last. */
export function tappedWebSocket(): { WebSocket: WebSocketCtor; sockets: TappedSocket[] } {
  const sockets: TappedSocket[] = [];
  class Tapped extends TappedSocket {
    constructor(url: string, options?: string | string[] | NodeSocketOptions) {
      super(url, options);
      sockets.push(this);
    }
  }
  return { WebSocket: Tapped, sockets };
}
