/**
 * Fills one room's gap page by page with `history {afterSeq}` while the
 * sequencer holds the room's live messages back. Work started on one
 * connection stops once it is gone: the resync after the next `ready`
 * replaces it.
 */
import { ChatError, type ErrorCode } from '@ecc/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import { isTransient } from './errors.ts';
import type { HistoryPage } from './requests.ts';
import type { RoomSequencer, SyncRequest } from './roomSequencer.ts';

const RESYNC_PAGE = 100;

export interface GapResyncDeps {
  sequencer: RoomSequencer;
  fetchPage(query: { roomId: number; afterSeq: number; limit: number }): Promise<HistoryPage>;
  /** Identifies the current socket (Connection.generation). */
  generation(): number;
  maxTransientRetries: number;
  backoff: BackoffOptions | undefined;
  reportError(code: ErrorCode, message: string): void;
}

export async function fillGap(first: { roomId: number; afterSeq: number }, deps: GapResyncDeps): Promise<void> {
  const { sequencer } = deps;
  const epoch = deps.generation();
  let next: SyncRequest = first;
  let failures = 0;
  while (next) {
    let page: HistoryPage;
    try {
      page = await deps.fetchPage({ roomId: next.roomId, afterSeq: next.afterSeq, limit: RESYNC_PAGE });
    } catch (err) {
      if (epoch !== deps.generation()) return; // the connection dropped; the next ready resyncs
      const error = ChatError.fromUnknown(err);
      if (isTransient(error.code) && ++failures <= deps.maxTransientRetries) {
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(failures, deps.backoff)));
        if (epoch !== deps.generation()) return;
        continue;
      }
      sequencer.abortSync(first.roomId);
      deps.reportError(error.code, `Could not fetch missed messages of room ${first.roomId}: ${error.message}`);
      return;
    }
    if (epoch !== deps.generation()) return;
    next = sequencer.acceptPage(next.roomId, page.messages, page.hasMore);
  }
  if (sequencer.hasStrandedGap(first.roomId)) {
    deps.reportError('INTERNAL', `Room ${first.roomId} has a gap the server could not fill; retrying on the next message`);
  }
}
