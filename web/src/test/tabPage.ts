/** Page loads of one browser tab over fakes: each a fresh controller over the tab's sessionStorage. */
import type { User } from '@ecc/protocol';
import { ChatController } from '../chat/controller.ts';
import { SavedChat, type KeyValueStorage } from '../chat/savedChat.ts';
import { FakeEnvironment, FakeTransport, FakeUploader } from './fakeTransport.ts';
import { alice, room } from './fixtures.ts';

/** A tab's sessionStorage: outlives each page (controller) of the tab. */
export class MemoryStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** One page load of the tab: a fresh controller over the tab's storage, signed in as `user`. */
export function page(storage: KeyValueStorage, user: User = alice, clientIdPrefix = 'cid') {
  const transport = new FakeTransport();
  const env = new FakeEnvironment();
  const uploader = new FakeUploader();
  let n = 0;
  const chat = new ChatController(transport, env, () => `${clientIdPrefix}-${++n}`, uploader, new SavedChat(storage, user.id));
  chat.connect();
  const ready = () => transport.emit('ready', { user, rooms: [room(1, { lastSeq: 2 }), room(2)], totalUnread: 0 });
  return { transport, env, uploader, chat, ready };
}

