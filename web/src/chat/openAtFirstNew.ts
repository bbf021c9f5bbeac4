/**
 * Opening the shown room at its "New messages" line when the line is older
 * than the latest page: older pages are loaded up to it first, from the
 * newest down through the controller's paging, so the window stays contiguous
 * and reaches the newest. The list says it is loading meanwhile
 * (loadingToFirstNew) and opens at the line once it is loaded.
 */
import type { ChatController } from './controller.ts';
import type { ChatStore } from './store.ts';
import type { ChatTransport } from './transport.ts';
import { findFirstNew } from './findMessage.ts';
import type { UnreadMarker } from './unreadMarker.ts';

type Paging = Pick<ChatController, 'state' | 'store' | 'loadMessages'>;

/**
 * Loads older pages until the marker's line is loaded. Nothing is marked read on the way: the
 * list reports what the reader sees. Stops when the room is left or hidden (the marker is
 * replaced). When a page fails (the controller says why), the room opens at the newest instead,
 * with the way up to the line offered there, as for a line too far back to load at once.
 */
export async function loadUpToFirstNew(chat: Paging, marker: UnreadMarker): Promise<void> {
  const left = new AbortController();
  const off = chat.store.subscribe(() => {
    if (chat.state.unreadMarker !== marker) left.abort();
  });
  try {
    const found = await findFirstNew(chat, marker, left.signal);
    if (found.kind === 'failed') chat.store.dispatch({ type: 'first_new_unreachable', roomId: marker.roomId });
  } finally {
    off();
  }
}

/**
 * A line too far back to load to, in a support room whose greeting was not held as it was shown: whether
 * the count its way up says has the greeting in it rests on the greeting (its actorId, or its words: openingByWords), so the
 * greeting alone is read (seq 1: the page before seq 2). Failing, the count stays as the server gave it.
 */
export function readOpening(store: ChatStore, transport: Pick<ChatTransport, 'history'>, marker: UnreadMarker): void {
  transport.history({ roomId: marker.roomId, beforeSeq: 2, limit: 1 }).then(
    ({ messages }) => {
      const opening = messages.find((m) => m.seq === 1);
      if (opening) store.dispatch({ type: 'opening_read', roomId: marker.roomId, opening });
    },
    () => undefined,
  );
}
