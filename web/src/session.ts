/** Creating the per-user chat: one ChatClient (one socket for the tab) wrapped by a ChatController. */
import { ChatClient, type ApiClient } from '@ecc/client';
import type { User } from '@ecc/protocol';
import { ChatController } from './chat/controller.ts';
import { browserEnvironment } from './chat/browserEnvironment.ts';

/** The socket authenticates with the HttpOnly session cookie, so no token is passed; `api` uploads attachments. */
export function createChatController(user: User, api: ApiClient): ChatController {
  const client = new ChatClient({ url: window.location.origin, userId: user.id });
  return new ChatController(client, browserEnvironment, undefined, api);
}
