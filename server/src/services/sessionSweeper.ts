/**
 * Deletes expired sessions. A session ends by logout (deleted then) or by
 * expiring, and most expire: without this every sign-in left a row behind
 * for good. Runs when the node starts and then hourly; any node may run it
 * (a second deletion of the same rows deletes nothing).
 */
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';

/** Expired sessions are harmless (never accepted), only dead weight: once an hour is plenty. */
const SWEEP_MS = 3_600_000;

export class SessionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: { store: Store; logger: Logger }) {}

  start(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  /** One pass; overlapping calls share the running one. */
  sweep(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const { store, logger } = this.deps;
    try {
      const deleted = await store.deleteExpiredSessions(new Date());
      if (deleted > 0) logger.info({ sessions: deleted }, 'deleted expired sessions');
    } catch (err) {
      logger.error({ err }, 'deleting expired sessions failed');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
