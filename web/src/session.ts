/** Creating the per-user chat: one ChatClient (one socket for the tab) wrapped by a ChatController. */
import { ChatClient, type ApiClient } from '@ecc/client';
import type { User } from '@ecc/protocol';
import { ChatController } from './chat/controller.ts';
import { browserEnvironment, tabStorage } from './chat/browserEnvironment.ts';
import { SavedChat, forgetSavedChats } from './chat/savedChat.ts';

/**
 * The socket authenticates with the HttpOnly session cookie, so no token is passed; `api` uploads
 * attachments; unsent messages and drafts are kept in the tab's sessionStorage across a reload.
 */
export function createChatController(user: User, api: ApiClient): ChatController {
  const client = new ChatClient({ url: window.location.origin, userId: user.id });
  const storage = tabStorage();
  // Another user's unsent messages in this tab are from a session that ended: not theirs to keep.
  forgetSavedChats(storage, user.id);
  return new ChatController(client, browserEnvironment, undefined, api, new SavedChat(storage, user.id));
}

/** The session ended while this tab was not listening (signed out elsewhere, expired): forget what it kept. */
export function forgetEndedSession(): void {
  forgetSavedChats(tabStorage(), null);
}
