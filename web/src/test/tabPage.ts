/** Page loads of one browser tab over fakes: each a fresh controller over the tab's sessionStorage. */
import type { User } from '@ecc/protocol';
import { ChatController } from '../chat/controller.ts';
import { SavedChat, type KeyValueStorage } from '../chat/savedChat.ts';
import { otherTabs, type OtherTabs, type TabChannel } from '../chat/otherTabs.ts';
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

/**
 * The browser's tabs of one origin: its localStorage (shared), and its BroadcastChannels in memory, each
 * hearing a task later (a structured clone of) what the others of its name post, not itself. The tabs'
 * ends are the real otherTabs (channel per user, validation, the record of discards).
 */
export class TabHub {
  /** The origin's localStorage. */
  readonly local = new MemoryStorage();
  private readonly open = new Set<{ name: string; channel: TabChannel }>();

  /** One tab's end, signed in as `user`. */
  tab(user: User = alice): OtherTabs {
    return otherTabs(user.id, this.local, (name) => this.channel(name));
  }

  private channel(name: string): TabChannel {
    const end = { name, channel: null as unknown as TabChannel };
    const channel: TabChannel = {
      onmessage: null,
      postMessage: (data) => {
        for (const other of this.open) {
          if (other === end || other.name !== name) continue;
          const copy = structuredClone(data);
          setTimeout(() => this.open.has(other) && other.channel.onmessage?.(new MessageEvent('message', { data: copy })), 0);
        }
      },
      close: () => void this.open.delete(end),
    };
    end.channel = channel;
    this.open.add(end);
    return channel;
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

