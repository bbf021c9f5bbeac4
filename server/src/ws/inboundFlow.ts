/**
 * Flow control of one socket's incoming frames. A socket's frames are handled one after another;
 * while too many wait (more than `pauseFrames`, or more than `pauseBytes` of them) the socket is
 * not read, so TCP makes the client wait instead of the server refusing its frames, and it is read
 * again once half of that has been handled. What waits is bounded by the pause plus what the
 * socket had already read; `maxBytes` is a last bound should that ever be passed: the socket is
 * then closed (inboundFrames.ts), never a frame dropped while it stays open. And a frame waits while
 * the socket's answers have not left (`sendBufferDrained`).
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** The defaults: pause past 64 frames or 256 KiB waiting; close past 4 MiB beyond the largest frame. */
export const INBOUND_FLOW = {
  pauseFrames: 64,
  pauseBytes: 256 * 1024,
  headroomBytes: 4 * 1024 * 1024,
} as const;

export interface InboundFlowLimits {
  pauseFrames: number;
  pauseBytes: number;
  /** Waiting bytes past which the socket is given up. */
  maxBytes: number;
}

/** What the flow control does to the socket (a `ws` WebSocket). */
export interface PausableSocket {
  pause(): void;
  resume(): void;
}

export class InboundFlow {
  private frames = 0;
  private bytes = 0;
  private paused = false;

  constructor(
    private readonly socket: PausableSocket,
    private readonly limits: InboundFlowLimits,
  ) {}

  /** A frame of `size` bytes arrived and waits. False (and not counted) when it would pass `maxBytes`. */
  arrived(size: number): boolean {
    if (this.bytes + size > this.limits.maxBytes) return false;
    this.frames += 1;
    this.bytes += size;
    if (!this.paused && (this.frames > this.limits.pauseFrames || this.bytes > this.limits.pauseBytes)) {
      this.paused = true;
      this.socket.pause();
    }
    return true;
  }

  /** A waiting frame of `size` bytes was handled. */
  handled(size: number): void {
    this.frames -= 1;
    this.bytes -= size;
    // Half-way down, so a client writing steadily is not paused and resumed on every frame.
    if (this.paused && this.frames <= this.limits.pauseFrames / 2 && this.bytes <= this.limits.pauseBytes / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Whether the socket is not being read now. */
  get isPaused(): boolean {
    return this.paused;
  }
}

/**
 * Resolves once the socket's send buffer has drained, when it holds more than `bound` bytes (else
 * undefined): a frame waits for its predecessors' answers to leave before it is handled, so a client
 * that asks faster than it reads is slowed down (its frames pile up and reading stops) instead of
 * the answers growing the send buffer to the slow-consumer close.
 */
export function sendBufferDrained(ws: WebSocket, bound: number): Promise<void> | undefined {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (!socket || socket.destroyed || !socket.writableNeedDrain || ws.bufferedAmount <= bound) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
