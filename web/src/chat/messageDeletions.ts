/**
 * Deletions of messages on their way: confirmed, not answered yet (the store's `deleting`).
 * Offline the library holds them until the socket is back; meanwhile the message says so, and
 * offers no second Confirm delete (pressed again, each would go out once the connection is back).
 */
import { describeError } from './describeError.ts';
import type { ChatState, ChatStore } from './store.ts';
import type { ChatTransport } from './transport.ts';

/** Deletes the message; refused, it is as before, with why in the notice. */
export async function deleteMessage(store: ChatStore, transport: Pick<ChatTransport, 'delete'>, messageId: number): Promise<void> {
  if (isDeleting(store.getState(), messageId)) return;
  store.dispatch({ type: 'delete_started', messageId });
  try {
    await transport.delete(messageId);
  } catch (err) {
    store.dispatch({ type: 'notice', text: `Could not delete the message: ${describeError(err)}` });
  } finally {
    store.dispatch({ type: 'delete_ended', messageId });
  }
}

/** Whether the deletion of `messageId` is on its way. */
export function isDeleting(state: ChatState, messageId: number): boolean {
  return state.deleting.includes(messageId);
}
