/** Page loads of one browser tab over fakes: each a fresh controller over the tab's sessionStorage. */
import type { User } from '@ecc/protocol';
import { ChatController } from '../chat/controller.ts';
import { SavedChat, type KeyValueStorage } from '../chat/savedChat.ts';
import type { OtherTabs } from '../chat/otherTabs.ts';
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

  /** "Duplicate tab": a new tab holding a copy of this one's storage (the browser copies sessionStorage). */
  duplicate(): MemoryStorage {
    const copy = new MemoryStorage();
    for (const [key, value] of this.items) copy.setItem(key, value);
    return copy;
  }
}

/** The browser's channel between tabs (BroadcastChannel): each tab hears, a task later, what the others say, not itself. */
export class TabHub {
  private readonly listeners = new Set<{ fn: (roomId: number, clientId: string) => void }>();
  /** One tab's end. */
  tab(): OtherTabs {
    const mine = new Set<object>();
    return {
      discarded: (roomId, clientId) => {
        for (const l of this.listeners) if (!mine.has(l)) setTimeout(() => this.listeners.has(l) && l.fn(roomId, clientId), 0);
      },
      onDiscarded: (fn) => {
        const l = { fn };
        mine.add(l);
        this.listeners.add(l);
        return () => this.listeners.delete(l);
      },
    };
  }
}

/** One page load of the tab: a fresh controller over the tab's storage, signed in as `user` (`tabs`: its end of the channel between tabs). */
export function page(storage: KeyValueStorage, user: User = alice, clientIdPrefix = 'cid', tabs: OtherTabs | null = null) {
  const transport = new FakeTransport();
  const env = new FakeEnvironment();
  const uploader = new FakeUploader();
  let n = 0;
  const chat = new ChatController(transport, env, () => `${clientIdPrefix}-${++n}`, uploader, new SavedChat(storage, user.id), tabs);
  chat.connect();
  const ready = () => transport.emit('ready', { user, rooms: [room(1, { lastSeq: 2 }), room(2)], totalUnread: 0 });
  return { transport, env, uploader, chat, ready };
}

