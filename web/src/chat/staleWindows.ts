/**
 * Messages loaded before a reconnect may be out of date: edits and deletions made while the tab
 * was disconnected come with no event (the client library fetches only the seqs it missed). The
 * newest loaded page of each room is read again at once (reconnectRefresh.ts); the rest of a room's window,
 * which may be thousands of messages after a long read back, is read again page by page as the
 * reader comes to it (ChatController.showing). This keeps, per room, what is still to be read again.
 */

/** Messages per page read again around the rows shown (the protocol's largest page). */
export const REREAD_PAGE = 100;
/** Rows read again below the last one shown, so a page covers a little scrolling down too. */
const BELOW = 20;

interface Stale {
  /** The loaded window at the reconnect: from..to may be out of date… */
  from: number;
  to: number;
  /** …except these ranges, read again since (ascending, apart). */
  fresh: [number, number][];
  /** A page of it is being read. */
  reading: boolean;
}

export class StaleWindows {
  private readonly rooms = new Map<number, Stale>();

  /** After a `ready`: the windows loaded then (room, first and last seq) may be out of date, and nothing else. */
  reset(windows: readonly { roomId: number; from: number; to: number }[]): void {
    this.rooms.clear();
    for (const w of windows) if (w.from <= w.to) this.rooms.set(w.roomId, { from: w.from, to: w.to, fresh: [], reading: false });
  }

  /** Seqs from..to of the room were read again. */
  refreshed(roomId: number, from: number, to: number): void {
    const stale = this.rooms.get(roomId);
    if (!stale) return;
    const ranges = [...stale.fresh, [from, to] as [number, number]].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const r of ranges) {
      const last = merged.at(-1);
      if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    stale.fresh = merged;
    if (merged.length === 1 && merged[0] && merged[0][0] <= stale.from && merged[0][1] >= stale.to) this.rooms.delete(roomId);
  }

  /** The claimed page was read again (`from`..`to`), or reading it failed (null): another may be asked for. */
  answered(roomId: number, page: { from: number; to: number } | null): void {
    if (page) this.refreshed(roomId, page.from, page.to);
    const stale = this.rooms.get(roomId);
    if (stale) stale.reading = false;
  }

  /**
   * The page to read again for the rows from..to shown, claimed (no other is asked for until it
   * is answered), or null when they are up to date or a page is being read.
   */
  claim(roomId: number, from: number, to: number): { beforeSeq: number; from: number; to: number } | null {
    const stale = this.rooms.get(roomId);
    if (!stale || stale.reading || !this.hasStale(stale, from, to)) return null;
    stale.reading = true;
    const beforeSeq = Math.min(to + BELOW, stale.to) + 1;
    return { beforeSeq, from: Math.max(1, beforeSeq - REREAD_PAGE), to: beforeSeq - 1 };
  }

  private hasStale(stale: Stale, from: number, to: number): boolean {
    let seq = Math.max(from, stale.from);
    const end = Math.min(to, stale.to);
    for (const [a, b] of stale.fresh) {
      if (seq > end) return false;
      if (seq < a) return true;
      if (seq <= b) seq = b + 1;
    }
    return seq <= end;
  }
}
