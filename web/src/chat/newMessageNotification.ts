/**
 * The system notification for a message that arrives while the tab is hidden. Shown a moment
 * later, and only if the message is still unread: the same person may be reading it right now in
 * another tab or on their phone, and that read reaches this tab (as an `unread` of 0) just after
 * the message. Notifying at once told them about a message they were looking at.
 */
import type { Message } from '@ecc/protocol';
import { previewOf, roomTitle } from './selectors.ts';
import type { ChatStore } from './store.ts';
import type { ChatEnvironment } from './transport.ts';

/** Long enough for a read on another tab to arrive through the server, short enough to still be news. */
export const NOTIFY_DELAY_MS = 1500;

export function notifyUnlessReadElsewhere(message: Message, store: ChatStore, env: ChatEnvironment, openRoom: () => void): void {
  setTimeout(() => {
    const { rooms, me } = store.getState();
    const room = rooms[message.roomId];
    const myMark = room?.participants.find((p) => p.id === me?.id)?.lastReadSeq ?? 0;
    // Read meanwhile, here or elsewhere (readState.ts moves the mark), the tab shown again, or signed out.
    if (!room || myMark >= message.seq || env.isVisible()) return;
    env.notify(roomTitle(room, me), previewOf(message, me?.id), openRoom);
  }, NOTIFY_DELAY_MS);
}
