/**
 * The other tabs of this browser holding copies of my unsent messages: "Duplicate tab" copies the tab's
 * sessionStorage (savedChat.ts), and the copy sends the messages it found there as its own, with their
 * clientIds. A message discarded in one tab is discarded in the others too, or a copy would send it:
 * remembered first (discardedSends.ts, for a tab that is not listening now and puts its copy back
 * later), then told to the tabs listening (a BroadcastChannel of the user's), which drop theirs at once.
 * Tabs say hello on the channel, so a tab knows whether another of the user's is open: that one may hold
 * a copy, and may have sent it. A copy is taken when a tab is duplicated, which then says hello: of a
 * message made in this tab, only a tab that said hello after it was made can hold one.
 */
import { z } from 'zod';
import { Id } from '@ecc/protocol';
import { ClientId, DiscardedSends } from './discardedSends.ts';
import type { KeyValueStorage } from './savedChat.ts';

export interface OtherTabs {
  /** Remembers, and tells the other tabs, that I discarded this message. */
  discarded(roomId: number, clientId: string): void;
  /** Whether I discarded this message in some tab (a copy put back from a saved outbox is then not sent). */
  wasDiscarded(roomId: number, clientId: string): boolean;
  /** Hears a message discarded in another tab, and says this tab is open, until the returned function is called. */
  onDiscarded(fn: (roomId: number, clientId: string) => void): () => void;
  /** My message `clientId` was made in this tab now (not put back from storage). */
  madeHere(clientId: string): void;
  /**
   * Another tab of this user may hold a copy of my unsent message `clientId`, and may have sent it. One made
   * in this tab only if a tab started after it was made (a duplicate copies sessionStorage as it is then);
   * one put back from storage if another tab is or was open at all (this tab may itself be the duplicate).
   * Always where tabs cannot be heard.
   */
  mayHoldCopy(clientId: string): boolean;
}

const Said = z.discriminatedUnion('type', [
  z.object({ type: z.literal('discarded'), roomId: Id, clientId: ClientId }),
  /** A tab starts listening; the others answer `here`. */
  z.object({ type: z.literal('hello') }),
  z.object({ type: z.literal('here') }),
]);
type Said = z.infer<typeof Said>;

/** The channel's name for a user: a tab of another user signed in here hears nothing of this one's. */
export function channelName(userId: number): string {
  return `ecc.chat.v1.outbox.${userId}`;
}

/** The part of a BroadcastChannel used here (the browser's; an in-memory one in tests). */
export interface TabChannel {
  postMessage(data: unknown): void;
  close(): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}

/** The browser's BroadcastChannel, or null where it has none. */
function browserChannel(): ((name: string) => TabChannel) | null {
  return typeof BroadcastChannel === 'undefined' ? null : (name) => new BroadcastChannel(name);
}

/**
 * For `userId`: discards remembered in `shared` (the browser's localStorage; null: not remembered) and told
 * over a BroadcastChannel, where the browser has one (without it, only a tab that starts later drops its copy).
 */
export function otherTabs(userId: number, shared: KeyValueStorage | null, open = browserChannel()): OtherTabs {
  const record = new DiscardedSends(shared, userId);
  const name = channelName(userId);
  let listening: TabChannel | null = null;
  let othersHeard = false;
  // Hellos heard (tabs started) so far; and, for each message made here, how many had been when it was made.
  let hellos = 0;
  const made = new Map<string, number>();
  return {
    discarded(roomId, clientId) {
      // Remembered before it is told: a tab starting between the two finds it in the record.
      record.add(roomId, clientId);
      if (!open) return;
      // One channel for both ways: a channel does not hear itself, so the tab does not hear its own discard.
      const channel = listening ?? open(name);
      channel.postMessage({ type: 'discarded', roomId, clientId } satisfies Said);
      // What was posted is delivered even so.
      if (channel !== listening) channel.close();
    },
    wasDiscarded: (roomId, clientId) => record.has(roomId, clientId),
    onDiscarded(fn) {
      if (!open) return () => undefined;
      const channel = open(name);
      listening = channel;
      channel.onmessage = (ev: MessageEvent) => {
        const said = Said.safeParse(ev.data);
        if (!said.success) return;
        othersHeard = true;
        if (said.data.type === 'discarded') fn(said.data.roomId, said.data.clientId);
        else if (said.data.type === 'hello') {
          hellos += 1;
          channel.postMessage({ type: 'here' } satisfies Said);
        }
      };
      channel.postMessage({ type: 'hello' } satisfies Said);
      return () => {
        channel.close();
        if (listening === channel) listening = null;
      };
    },
    madeHere(clientId) {
      made.set(clientId, hellos);
    },
    mayHoldCopy(clientId) {
      const heard = made.get(clientId);
      // Once another tab is heard, kept: a tab closed since may have written its copy before it went.
      return !open || (heard === undefined ? othersHeard : hellos > heard);
    },
  };
}
