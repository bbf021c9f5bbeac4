/**
 * Closes the rooms of completed or cancelled jobs once the grace period
 * has passed, and tells their participants (`room` with isActive=false)
 * and whoever else `onClosed` tells (support staff's jobs pages).
 */
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';
import { PeriodicTask } from './periodicTask.ts';
import type { RoomAnnouncer } from './roomAnnouncer.ts';

export class RoomSweeper {
  private readonly task: PeriodicTask;

  constructor(
    private readonly deps: {
      store: Store;
      rooms: RoomAnnouncer;
      logger: Logger;
      graceMs: number;
      intervalMs: number;
      /** After a room closed and its people were told. */
      onClosed?: (roomId: number) => Promise<void>;
    },
  ) {
    this.task = new PeriodicTask(deps.intervalMs, () => this.pass());
  }

  start(): void {
    this.task.start();
  }

  /** One pass; overlapping calls share the running one. */
  sweep(): Promise<void> {
    return this.task.run();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  private async pass(): Promise<void> {
    const { store, rooms, logger, graceMs } = this.deps;
    try {
      const due = await store.roomsToClose(new Date(Date.now() - graceMs));
      for (const roomId of due) {
        await store.setRoomActive(roomId, false);
        await rooms.announce(roomId);
        // The room is closed either way: one not told here is read closed with the next list.
        await this.deps.onClosed?.(roomId).catch((err: unknown) => logger.warn({ err, roomId }, 'a closed room was not told beyond it'));
      }
      if (due.length > 0) logger.info({ rooms: due.length }, 'closed finished job rooms');
    } catch (err) {
      logger.error({ err }, 'room sweep failed');
    }
  }
}
