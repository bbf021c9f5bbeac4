/**
 * Deletions of messages on their way: confirmed, not answered yet. Offline the library holds
 * them until the socket is back; meanwhile the message says so, and offers no second Confirm
 * delete (pressed again, each would go out once the connection is back).
 */
import { describeError } from './describeError.ts';
import type { ChatStore } from './store.ts';
import type { ChatTransport } from './transport.ts';

export class MessageDeletions {
  private deleting: ReadonlySet<number> = new Set();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: ChatStore,
    private readonly transport: Pick<ChatTransport, 'delete'>,
  ) {}

  /** Deletes the message; refused, it is as before, with why in the notice. */
  async delete(messageId: number): Promise<void> {
    if (this.deleting.has(messageId)) return;
    this.set(new Set([...this.deleting, messageId]));
    try {
      await this.transport.delete(messageId);
    } catch (err) {
      this.store.dispatch({ type: 'notice', text: `Could not delete the message: ${describeError(err)}` });
    } finally {
      this.set(new Set([...this.deleting].filter((id) => id !== messageId)));
    }
  }

  /** Whether the deletion of `messageId` is on its way. */
  isDeleting(messageId: number): boolean {
    return this.deleting.has(messageId);
  }

  /** Whether any deletion is on its way (leaving the page now would lose it). */
  anyDeleting(): boolean {
    return this.deleting.size > 0;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(deleting: ReadonlySet<number>): void {
    this.deleting = deleting;
    for (const listener of this.listeners) listener();
  }
}
