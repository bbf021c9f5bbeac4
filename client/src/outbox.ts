/**
 * The way out for the chat client's requests: each gets its ref, is checked
 * against the frame limit once, waits in the queue while the socket is not
 * ready, goes out in the queue's order after `ready` (a send that must retry
 * goes to its room's retry line instead), and fails or drops a dead link when
 * unanswered in time (see LinkLiveness). Answers are matched by the chat
 * client through `requests`.
 */
import { ChatError } from '@ecc/protocol';
import type { Connection } from './connection.ts';
import { oversizeError } from './frameSize.ts';
import { LinkLiveness } from './linkLiveness.ts';
import { RequestManager, type NewRequest, type PendingRequest } from './requests.ts';
import { RetryLines } from './retryLines.ts';

/** A send the server already refused once; after a reconnect it goes first in its room, alone. */
function isRetry(request: PendingRequest): boolean {
  return request.transientFailures > 0 || request.rateLimitedRetries > 0;
}

export class Outbox {
  private refCounter = 0;
  readonly requests = new RequestManager();
  readonly liveness = new LinkLiveness();
  readonly retries = new RetryLines((send) => {
    // It may have been settled meanwhile (an ack found by its clientId).
    if (!this.requests.isInFlight(send)) return false;
    this.dispatch(send);
    return true;
  });

  constructor(
    private readonly connection: Connection,
    private readonly requestTimeoutMs: number,
    private readonly maxFrameBytes: number,
    /** A request goes on a socket for the first time. */
    private readonly onFirstWrite: (request: PendingRequest) => void = () => {},
  ) {}

  nextRef(): string {
    return `r${++this.refCounter}`;
  }

  submit(request: NewRequest): void {
    if (this.connection.state === 'closed') {
      request.reject(new ChatError('UNAVAILABLE', 'Chat client closed'));
      return;
    }
    const text = JSON.stringify(request.frame);
    const tooLarge = oversizeError(text, this.maxFrameBytes);
    if (tooLarge) {
      // The server would close the socket (1009) and the replay after reconnect would do it again.
      request.reject(tooLarge);
      return;
    }
    if (request.kind === 'history' && request.internal && !this.connection.isReady) {
      // A resync fetch belongs to one connection; the resync after the next `ready` replaces it.
      request.reject(new ChatError('UNAVAILABLE', 'Offline'));
      return;
    }
    this.requests.enqueue({ ...request, text }, !this.connection.isReady);
    if (this.connection.isReady) this.flushQueue();
  }

  flushQueue(): void {
    for (const request of this.requests.takeQueued()) {
      // A send that was waiting to retry when the socket dropped goes first in its room, alone.
      if (request.kind === 'send' && (isRetry(request) || this.retries.holds(request.frame.roomId))) {
        request.heldBack = true;
        this.requests.markInFlight(request);
        this.retries.join(request, 0);
      } else {
        this.dispatch(request);
      }
    }
  }

  /**
   * An edit or delete the server refused with RATE_LIMITED (`refusal`) goes out again after `pauseMs`. It
   * stays in flight meanwhile, so a drop replays it after the reconnect (unless overtaken: see dispatch).
   */
  later(request: PendingRequest, pauseMs: number, refusal: ChatError): void {
    this.requests.markInFlight(request);
    clearTimeout(request.timer);
    request.pausedBy = refusal;
    request.timer = setTimeout(() => {
      if (this.requests.isInFlight(request)) this.dispatch(request);
    }, pauseMs);
  }

  /** Passes a request the server answered through, noting that the link works. */
  answered(request: PendingRequest | undefined): PendingRequest | undefined {
    if (request) this.liveness.answered();
    return request;
  }

  /** Puts a request on the current socket and arms its timeout (or fails it: see failIfOvertaken). */
  private dispatch(request: PendingRequest): void {
    if (this.failIfOvertaken(request)) return;
    this.requests.markInFlight(request);
    request.pausedBy = undefined;
    clearTimeout(request.timer);
    const sentAt = this.liveness.stamp();
    request.timer = setTimeout(() => this.unanswered(request, sentAt), this.requestTimeoutMs);
    this.connection.send(request.text ?? JSON.stringify(request.frame));
    if (!request.written) {
      request.written = true;
      this.onFirstWrite(request);
    }
  }

  /**
   * An edit refused RATE_LIMITED and paused, then overtaken by a later edit or delete of its message, fails
   * with that refusal instead of going out again, whether its pause ran out or a drop queued it for the
   * replay after the reconnect: made now, after the later change, it would undo it.
   */
  private failIfOvertaken(request: PendingRequest): boolean {
    if (!request.pausedBy || !request.superseded) return false;
    this.requests.settle(request.ref); // in flight while paused; queued (already taken out) after a drop
    request.reject(request.pausedBy);
    return true;
  }

  /**
   * No answer in time. On a link that died silently the socket is dropped and
   * everything in flight is replayed after the reconnect; from a slow server
   * the request fails (see LinkLiveness).
   */
  private unanswered(request: PendingRequest, sentAt: number): void {
    if (!this.requests.isInFlight(request)) return;
    if (this.liveness.judgeTimeout(sentAt) === 'dead-link') {
      this.connection.drop(4000, 'request timeout');
      return;
    }
    this.requests.settle(request.ref);
    request.reject(new ChatError('UNAVAILABLE', `No answer within ${this.requestTimeoutMs} ms`));
  }
}
