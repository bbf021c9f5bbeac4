/**
 * Editing my own messages. The edit being typed lives in the room's draft
 * (drafts.ts), not in the message's row: it outlives the row scrolled out of
 * the list, the room left, the panel closed and (savedChat.ts) a reload. So
 * does a saved edit until the server confirms it: offline the library holds it
 * until the socket is back, and a reload meanwhile would have lost it.
 */
import type { Message } from '@ecc/protocol';
import { describeError } from './describeError.ts';
import { draftOf, editOf, roomMessagesOf, savingEditOf, type ChatStore, type DraftEdit } from './store.ts';
import type { ChatTransport } from './transport.ts';

export class MessageEdits {
  constructor(
    private readonly store: ChatStore,
    private readonly transport: Pick<ChatTransport, 'edit'>,
  ) {}

  /** Opens the edit of `message` with its text (the text being saved, if any), in place of any other edit of the room. */
  start(message: Message): void {
    if (!this.canSave(message)) return;
    const { roomId, id } = message;
    // Begun from the text on its way: once confirmed, the message says that, which is no change made elsewhere.
    const content = savingEditOf(this.store.getState(), roomId, id)?.text ?? message.content;
    this.store.dispatch({ type: 'edit_started', roomId, messageId: id, text: content, original: content });
  }

  /** Keeps what is typed in the edit box of `messageId`. */
  change(roomId: number, messageId: number, text: string): void {
    this.store.dispatch({ type: 'edit_changed', roomId, messageId, text });
  }

  /** Drops the edit (Cancel), also the read-only copy of one that can no longer be saved. */
  cancel(roomId: number, messageId: number): void {
    this.store.dispatch({ type: 'edit_ended', roomId, messageId });
  }

  /**
   * Saves the edit; the box closes at once. Saved unchanged, nothing is sent
   * (no "(edited)" for nothing). Refused, the text comes back in the box with
   * why, unless another edit was opened meanwhile: it is never dropped unseen.
   * In a closed room or for a deleted message it cannot be saved: it stays.
   */
  async save(message: Message, text: string): Promise<void> {
    const content = text.trim();
    if (content === '' || !this.canSave(message)) return;
    const { roomId, id } = message;
    // What the edit began from, so a refused one brought back still tells a change made meanwhile.
    const original = editOf(this.store.getState(), roomId, id)?.original ?? message.content;
    this.store.dispatch({ type: 'edit_ended', roomId, messageId: id });
    const saving = savingEditOf(this.store.getState(), roomId, id);
    if (content === (saving?.text ?? message.content)) return;
    await this.send(roomId, { messageId: id, text: content, original });
  }

  /** Sends again an edit that was on its way when the tab was reloaded (savedChat.ts). */
  resend(roomId: number, edit: DraftEdit): Promise<void> {
    return this.send(roomId, edit);
  }

  /** Kept in the room's draft as saving until the server answers. */
  private async send(roomId: number, edit: DraftEdit): Promise<void> {
    this.store.dispatch({ type: 'edit_saving', roomId, edit });
    try {
      await this.transport.edit(edit.messageId, edit.text);
      this.store.dispatch({ type: 'edit_answered', roomId, edit });
    } catch (err) {
      this.store.dispatch({ type: 'edit_answered', roomId, edit });
      const { messageId, text, original } = edit;
      if (draftOf(this.store.getState(), roomId).edit === null) this.store.dispatch({ type: 'edit_started', roomId, messageId, text, original });
      this.store.dispatch({ type: 'notice', text: `Could not edit the message: ${describeError(err)}` });
    }
  }

  /** The room takes edits and the message, as held now (it may have been deleted since it was shown), is still there. */
  private canSave(message: Message): boolean {
    const state = this.store.getState();
    const held = roomMessagesOf(state, message.roomId).messages.find((m) => m.id === message.id) ?? message;
    return state.rooms[message.roomId]?.isActive !== false && held.deletedAt === null;
  }
}
