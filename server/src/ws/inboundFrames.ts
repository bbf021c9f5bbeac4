/**
 * A socket's frames from its client: read under flow control (inboundFlow.ts),
 * handled one after another once `ready` was sent, each parsed and given to its
 * handler (handlers/index.ts), an error answered with the frame's ref. Handled
 * in order, a socket's sends to a room are stored in the order it sent them; a
 * send that failed holds its later ones back until the client knew (sendFence.ts).
 */
import { WebSocket, type RawData } from 'ws';
import { ChatError, CloseCode, parseClientFrame, type ClientFrame, type ServerFrame } from '@ecc/protocol';
import type { Config } from '../config.ts';
import { FRAME_HANDLERS, type HandlerContext } from './handlers/index.ts';
import type { SendOrder } from './handlers/types.ts';
import { InboundFlow, INBOUND_FLOW, sendBufferDrained } from './inboundFlow.ts';
import { rawSize, readInboundText, type InboundText } from './inboundText.ts';
import { SendFence } from './sendFence.ts';

/** What of its connection the frames need. */
export interface FrameOwner {
  /** `ready` was sent and the socket did not end: frames are handled. */
  isOpen(): boolean;
  isClosed(): boolean;
  sendFrame(frame: ServerFrame): void;
  close(code: number, reason: string): void;
}

export class InboundFrames {
  /** The frame being handled last, after `ready`: each frame waits for it. */
  private inbound: Promise<void> = Promise.resolve();
  /** Stops reading the socket while too many of its frames wait (inboundFlow.ts). */
  private readonly flow: InboundFlow;
  /** Frames received so far, and the number of the one being handled (sendFence.ts). */
  private arrivals = 0;
  private handling = 0;
  /** Made at the first failed send. */
  private fence: SendFence | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly owner: FrameOwner,
    private readonly ctx: HandlerContext,
    private readonly config: Config,
  ) {
    this.flow = new InboundFlow(ws, {
      pauseFrames: INBOUND_FLOW.pauseFrames,
      pauseBytes: INBOUND_FLOW.pauseBytes,
      maxBytes: config.limits.maxFrameBytes + INBOUND_FLOW.headroomBytes,
    });
  }

  /** Frames are handled once `ready` settles (sent, or the socket closed instead). */
  after(ready: Promise<void>): void {
    this.inbound = ready;
  }

  /** A frame arrived on the socket. */
  received(data: RawData, isBinary: boolean): void {
    if (this.owner.isClosed()) return;
    const size = rawSize(data);
    if (!this.flow.arrived(size)) {
      // Reading stops long before this (inboundFlow.ts); dropping the frame would leave the client
      // waiting for an answer, so the socket goes and the client resyncs as after any drop.
      this.ctx.log.warn('frames waiting past the bound: closing with 1013');
      this.owner.close(CloseCode.TRY_AGAIN_LATER, 'Too many frames waiting; reconnect');
      return;
    }
    const inbound = readInboundText(data, isBinary);
    const arrival = ++this.arrivals;
    this.inbound = this.inbound
      .then(() => this.dispatch(inbound, arrival))
      .finally(() => this.flow.handled(size));
  }

  /** The socket's pong: one answering a failed send's ping lifts its fence. */
  pong(data: Buffer): void {
    this.fence?.pong(data.toString(), this.arrivals);
  }

  private async dispatch(inbound: InboundText, arrival: number): Promise<void> {
    if (!this.owner.isOpen()) return;
    // A client asking faster than it reads the answers: the next frame waits for them to leave (and,
    // its frames piling up, the socket is not read meanwhile) rather than the answers filling the
    // send buffer up to the slow-consumer close.
    const backlog = sendBufferDrained(this.ws, Math.min(INBOUND_FLOW.pauseBytes, this.config.limits.maxBufferedBytes / 4));
    if (backlog) {
      await backlog;
      if (this.owner.isClosed()) return;
    }
    this.handling = arrival;
    if (!inbound.ok) {
      this.owner.sendFrame(inbound.error.toFrame(inbound.ref));
      return;
    }
    const parsed = parseClientFrame(inbound.text);
    if (!parsed.ok) {
      this.owner.sendFrame(parsed.error.toFrame(parsed.ref));
      return;
    }
    const frame = parsed.frame;
    try {
      const handler = FRAME_HANDLERS[frame.type] as (ctx: HandlerContext, f: ClientFrame) => Promise<void>;
      await handler(this.ctx, frame);
    } catch (err) {
      const error = ChatError.fromUnknown(err);
      if (error.code === 'INTERNAL') this.ctx.log.error({ err, type: frame.type }, 'frame handler failed');
      this.owner.sendFrame(error.toFrame(frame.ref));
      // A send that failed before reaching the batch (its room could not be looked up): its retry must come first too.
      if (frame.type === 'send' && error.code === 'INTERNAL') this.sendFailed(frame.roomId, arrival, frame.clientId);
    }
  }

  /** The send being handled, kept in order with this socket's other sends to its room (sendFence.ts). */
  orderSend(roomId: number, clientId: string): SendOrder {
    const arrival = this.handling;
    return {
      held: () => this.fence?.holds(roomId, arrival, clientId) ?? false,
      failed: () => this.sendFailed(roomId, arrival, clientId),
    };
  }

  /** Called right after the send's error was sent: the ping goes after it, and its pong lifts the fence. */
  private sendFailed(roomId: number, arrival: number, clientId: string): void {
    const token = (this.fence ??= new SendFence()).failed(roomId, arrival, clientId);
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping(token);
  }
}
