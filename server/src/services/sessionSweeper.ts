/**
 * Deletes expired sessions. A session ends by logout (deleted then) or by
 * expiring, and most expire: without this every sign-in left a row behind
 * for good. Runs when the node starts and then hourly; any node may run it
 * (a second deletion of the same rows deletes nothing).
 */
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';
import { PeriodicTask } from './periodicTask.ts';

/** Expired sessions are harmless (never accepted), only dead weight: once an hour is plenty. */
const SWEEP_MS = 3_600_000;

export class SessionSweeper {
  private readonly task = new PeriodicTask(SWEEP_MS, () => this.pass());

  constructor(private readonly deps: { store: Store; logger: Logger }) {}

  start(): void {
    this.task.start({ now: true });
  }

  /** One pass; overlapping calls share the running one. */
  sweep(): Promise<void> {
    return this.task.run();
  }

  stop(): Promise<void> {
    return this.task.stop();
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
}
