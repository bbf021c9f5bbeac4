/**
 * Whether this node's Redis answers, shared by the node's fan-out bus and
 * presence tracker (each on its own link to the same Redis), and read, never
 * tripped, by the limits' shared counters (OptionalRedis).
 *
 * A command that gets no answer on a link that stayed up (Redis hung, a link
 * that blackholes) makes every one of them stop waiting on Redis at once
 * until a PING in the background is answered. Otherwise each step would wait
 * its own command timeout: a new socket's `ready` waited a subscription, a
 * presence count and a presence lookup in a row, about 11 s, longer than a
 * client waits for it. When Redis answers again the `onAnswering` handlers
 * catch up (re-subscribe, re-register presence).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { errorText } from './redisConnection.ts';

/** How often a silent Redis is asked with PING. */
const PROBE_MS = 500;

export class RedisStall {
  private silent = false;
  private closed = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private readonly handlers: (() => void)[] = [];

  constructor(
    /** The link the PINGs go on. */
    private readonly probeLink: Redis,
    private readonly logger: Logger,
  ) {}

  /** Redis did not answer lately: callers go on without it. */
  stalled(): boolean {
    return this.silent;
  }

  /** A command failed on a link that is up: Redis is taken as hung until a PING is answered. */
  noAnswer(what: string, err?: unknown): void {
    if (this.silent || this.closed || this.probeLink.status !== 'ready') return;
    this.silent = true;
    this.logger.warn({ err: err === undefined ? undefined : errorText(err), what }, 'Redis is not answering; the node goes on alone until it does');
    this.scheduleProbe();
  }

  /** Redis answered something (or a fresh link is up): the stall is over. */
  answered(): void {
    if (!this.silent || this.closed) return;
    this.silent = false;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.logger.info('Redis answers again');
    for (const handler of this.handlers) {
      try {
        handler();
      } catch (err) {
        this.logger.error({ err }, 'Redis answering handler failed');
      }
    }
  }

  /** Called each time Redis answers again after a stall. */
  onAnswering(handler: () => void): void {
    this.handlers.push(handler);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
  }

  private scheduleProbe(): void {
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      if (!this.silent || this.closed) return;
      this.probeLink.ping().then(
        () => this.answered(),
        () => {
          if (this.silent && !this.closed && !this.probeTimer) this.scheduleProbe();
        },
      );
    }, PROBE_MS);
    this.probeTimer.unref();
  }
}
