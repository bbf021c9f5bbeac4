/**
 * Client-side liveness check: a `ping` frame every `pingMs`; no `pong`
 * within `pongTimeoutMs` means the link is dead (a sleeping laptop, a
 * silently dropped NAT entry) and `onDead` is called once.
 */
import { KEEPALIVE } from '@ecc/protocol';

export interface KeepAliveOptions {
  pingMs?: number;
  pongTimeoutMs?: number;
}

export class KeepAlive {
  private interval: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pingMs: number;
  private readonly pongTimeoutMs: number;

  constructor(
    options: KeepAliveOptions,
    private readonly sendPing: () => void,
    private readonly onDead: () => void,
  ) {
    this.pingMs = options.pingMs ?? KEEPALIVE.clientPingMs;
    this.pongTimeoutMs = options.pongTimeoutMs ?? KEEPALIVE.clientPongTimeoutMs;
  }

  start(): void {
    this.stop();
    this.interval = setInterval(() => this.ping(), this.pingMs);
  }

  /** Any pong proves the link alive. */
  pong(): void {
    clearTimeout(this.pongTimer);
    this.pongTimer = undefined;
  }

  stop(): void {
    clearInterval(this.interval);
    clearTimeout(this.pongTimer);
    this.interval = undefined;
    this.pongTimer = undefined;
  }

  private ping(): void {
    // One outstanding ping at a time: the timeout runs from the first unanswered one.
    if (this.pongTimer === undefined) {
      this.pongTimer = setTimeout(() => {
        this.stop();
        this.onDead();
      }, this.pongTimeoutMs);
    }
    this.sendPing();
  }
}
