import type { Room } from '@ecc/protocol';
import type { ChatController } from '../chat/controller.ts';

/**
 * A room the server just answered with (Contact support, Message client, Join): listed, opened in the
 * chat panel, and its message box focused. Open already, the box is not drawn anew and takes no focus
 * (autoFocus), while the button that asked, disabled meanwhile, has lost it: put it there.
 */
export function showRoom(chat: Pick<ChatController, 'addRoom' | 'openRoom'>, room: Room): void {
  chat.addRoom(room);
  chat.openRoom(room.id);
  document.getElementById(`composer-${room.id}`)?.focus();
}
