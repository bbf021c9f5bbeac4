/**
 * Deletions of messages on their way: confirmed, not answered yet (the store's `deleting`).
 * Offline the library holds them until the socket is back; meanwhile the message says so, and
 * offers no second Confirm delete (pressed again, each would go out once the connection is back).
 */
import { ChatError } from '@ecc/protocol';
import { describeError } from './describeError.ts';
import type { ChatState, ChatStore } from './store.ts';
import type { ChatTransport } from './transport.ts';

/**
 * Deletes the message; refused, it is as before, with why in the notice. Kept meanwhile in the
 * tab's saved outbox (savedChat.ts), so a reload sends it again. When the session ends under it
 * it stays, as unsent messages do: held in memory for the same user signing in again (session.ts).
 */
export async function deleteMessage(store: ChatStore, transport: Pick<ChatTransport, 'delete'>, messageId: number): Promise<void> {
  if (isDeleting(store.getState(), messageId)) return;
  store.dispatch({ type: 'delete_started', messageId });
  try {
    await transport.delete(messageId);
  } catch (err) {
    if (err instanceof ChatError && err.code === 'UNAUTHORIZED') return;
    store.dispatch({ type: 'notice', text: `Could not delete the message: ${describeError(err)}` });
  }
  store.dispatch({ type: 'delete_ended', messageId });
}

/** Whether the deletion of `messageId` is on its way. */
export function isDeleting(state: ChatState, messageId: number): boolean {
  return state.deleting.includes(messageId);
}
