/**
 * After a reconnect, the loaded messages are read again: edits and deletions made while the tab
 * was disconnected come with no event (the client library fetches only the seqs it missed). The
 * newest loaded page of each room is read at once, one room at a time, the open room first; the
 * rest of a room's window page by page as the reader comes to it (staleWindows.ts).
 */
import { roomMessagesOf, type ChatStore } from './store.ts';
import type { ChatTransport } from './transport.ts';
import { describeError } from './describeError.ts';
import { REREAD_PAGE, StaleWindows } from './staleWindows.ts';

export class ReconnectRefresh {
  /** Bumped by each `ready` and by sign-out: an older refresh pass stops. */
  private pass = 0;
  /** What of the loaded messages is still to be read again after the last reconnect. */
  private readonly stale = new StaleWindows();
  /** The rows the open room's list last showed (seqs), read again first after a reconnect. */
  private shown: { roomId: number; from: number; to: number } | null = null;

  constructor(
    private readonly store: ChatStore,
    private readonly transport: ChatTransport,
    /** Messages per page the newest loaded messages are read again in (the controller's history page). */
    private readonly pageSize: number,
  ) {}

  /**
   * After a `ready`: the newest loaded page of each room whose messages were loaded is read again.
   * One room at a time, the open room first: a user with many rooms sends no burst, and rooms
   * never opened load fresh when they are.
   */
  async afterReady(): Promise<void> {
    const pass = ++this.pass;
    const loaded = this.loadedRoomsOpenFirst();
    this.stale.reset(
      loaded.map((roomId) => {
        const { messages } = roomMessagesOf(this.store.getState(), roomId);
        return { roomId, from: messages[0]?.seq ?? 1, to: messages.at(-1)?.seq ?? 0 };
      }),
    );
    for (const roomId of loaded) {
      const newest = roomMessagesOf(this.store.getState(), roomId).messages.at(-1);
      if (newest) {
        try {
          const page = await this.transport.history({ roomId, beforeSeq: newest.seq + 1, limit: this.pageSize });
          if (pass !== this.pass) return;
          this.stale.refreshed(roomId, newest.seq + 1 - this.pageSize, newest.seq);
          this.store.dispatch({ type: 'history_refreshed', roomId, messages: page.messages });
        } catch (err) {
          if (pass !== this.pass) return;
          this.store.dispatch({ type: 'notice', text: `Could not refresh messages: ${describeError(err)}` });
        }
      }
      // Then, before the other rooms, the rows the open room's reader is looking at, wherever they
      // are: not before its newest page, which holds them when the reader is at the newest (asked twice).
      const shown = this.shown;
      if (shown && shown.roomId === roomId && roomId === this.store.getState().activeRoomId) this.showing(roomId, shown.from, shown.to);
    }
  }

  /** Sign-out: a pass under way stops, and answers still coming are dropped. */
  stop(): void {
    this.pass++;
  }

  /**
   * The open room's list shows the rows from..to (seqs): loaded before the last reconnect and not
   * read again since, their page is read again (StaleWindows), so an edit or deletion made
   * meanwhile on a page far back is shown there too.
   */
  showing(roomId: number, from: number, to: number): void {
    this.shown = { roomId, from, to };
    const page = this.stale.claim(roomId, from, to);
    if (!page) return;
    const pass = this.pass;
    this.transport.history({ roomId, beforeSeq: page.beforeSeq, limit: REREAD_PAGE }).then(
      (fresh) => {
        if (pass !== this.pass) return;
        this.stale.answered(roomId, page);
        this.store.dispatch({ type: 'history_refreshed', roomId, messages: fresh.messages });
      },
      () => {
        // Asked again when the rows are shown again (or after the next reconnect).
        if (pass === this.pass) this.stale.answered(roomId, null);
      },
    );
  }

  private loadedRoomsOpenFirst(): number[] {
    const s = this.store.getState();
    const loaded = s.roomOrder.filter((id) => roomMessagesOf(s, id).fetch.initialLoaded);
    const open = s.activeRoomId;
    return open !== null && loaded.includes(open) ? [open, ...loaded.filter((id) => id !== open)] : loaded;
  }
}
