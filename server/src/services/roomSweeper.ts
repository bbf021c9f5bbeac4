/**
 * Closes the rooms of completed or cancelled jobs once the grace period
 * has passed, and tells their participants (`room` with isActive=false).
 */
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';
import type { RoomAnnouncer } from './roomAnnouncer.ts';

export class RoomSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deps: { store: Store; rooms: RoomAnnouncer; logger: Logger; graceMs: number; intervalMs: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.deps.intervalMs);
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
    const { store, rooms, logger, graceMs } = this.deps;
    try {
      const due = await store.roomsToClose(new Date(Date.now() - graceMs));
      for (const roomId of due) {
        await store.setRoomActive(roomId, false);
        await rooms.announce(roomId);
      }
      if (due.length > 0) logger.info({ rooms: due.length }, 'closed finished job rooms');
    } catch (err) {
      logger.error({ err }, 'room sweep failed');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
