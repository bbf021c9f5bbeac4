/** Creating the per-user chat: one ChatClient (one socket for the tab) wrapped by a ChatController. */
import { ChatClient, type ApiClient } from '@ecc/client';
import type { User } from '@ecc/protocol';
import { ChatController } from './chat/controller.ts';
import { browserEnvironment, sharedStorage, tabStorage } from './chat/browserEnvironment.ts';
import { SavedChat, forgetSavedChats, type SavedChatData } from './chat/savedChat.ts';
import { otherTabs } from './chat/otherTabs.ts';

/**
 * The socket authenticates with the HttpOnly session cookie, so no token is passed; `api` uploads
 * attachments; unsent messages and drafts are kept in the tab's sessionStorage across a reload, and a
 * discard reaches the user's other tabs here, those open now and those that put their copies back later
 * (a duplicated tab holds copies of the unsent messages: otherTabs.ts).
 */
export function createChatController(user: User, api: ApiClient, held: HeldUnsent | null = null): ChatController {
  const client = new ChatClient({ url: window.location.origin, userId: user.id });
  const storage = tabStorage();
  // Another user's unsent messages in this tab are from a session that ended: not theirs to keep.
  forgetSavedChats(storage, user.id);
  const saved = new SavedChat(storage, user.id);
  // Put back (and sent on connect) only for the user whose session ended, never for another.
  if (held?.userId === user.id) saved.write(held.data);
  return new ChatController(client, browserEnvironment, undefined, api, saved, otherTabs(user.id, sharedStorage()));
}

/** What a user had not sent (messages, drafts, deletions) when their session ended under them: kept in memory only, while the sign-in page shows. */
export interface HeldUnsent {
  userId: number;
  data: SavedChatData;
}

/** Takes what this tab keeps for `userId` out of its storage, before the chat is disconnected (which forgets it). */
export function holdUnsent(userId: number): HeldUnsent {
  const saved = new SavedChat(tabStorage(), userId);
  const { pending, drafts, deleting, version } = saved.load();
  saved.clear();
  // The ended session failed them ("refused the socket"): signing in again is to send them. Each goes
  // with its clientId (stored once); one the server refuses for itself fails again with its reason.
  const again = pending.map((p) => ({ ...p, status: 'pending' as const, error: null }));
  return { userId, data: { version, pending: again, drafts, deleting } };
}

/** The session ended while this tab was not listening (signed out elsewhere, expired): forget what it kept. */
export function forgetEndedSession(): void {
  forgetSavedChats(tabStorage(), null);
}
