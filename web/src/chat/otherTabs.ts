/**
 * The other tabs of this browser holding copies of my unsent messages: "Duplicate tab" copies the tab's
 * sessionStorage (savedChat.ts), and the copy sends the messages it found there as its own, with their
 * clientIds. A message discarded in one tab is discarded in the others too, or a copy would send it.
 */
import { z } from 'zod';
import { DEFAULT_LIMITS, Id } from '@ecc/protocol';

export interface OtherTabs {
  /** Tells the other tabs that I discarded this message. */
  discarded(roomId: number, clientId: string): void;
  /** Hears a message discarded in another tab, until the returned function is called. */
  onDiscarded(fn: (roomId: number, clientId: string) => void): () => void;
}

const Discarded = z.object({ type: z.literal('discarded'), roomId: Id, clientId: z.string().min(1).max(DEFAULT_LIMITS.clientIdMaxChars) });

/** Over a BroadcastChannel of the user's (this origin's tabs only); null where the browser has none: each tab then keeps its copy. */
export function broadcastTabs(userId: number): OtherTabs | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  const name = `ecc.chat.v1.outbox.${userId}`;
  // One channel for both ways: a channel does not hear itself, so the tab does not hear its own discard.
  let listening: BroadcastChannel | null = null;
  return {
    discarded(roomId, clientId) {
      const channel = listening ?? new BroadcastChannel(name);
      channel.postMessage({ type: 'discarded', roomId, clientId });
      // What was posted is delivered even so.
      if (channel !== listening) channel.close();
    },
    onDiscarded(fn) {
      const channel = new BroadcastChannel(name);
      listening = channel;
      channel.onmessage = (ev: MessageEvent) => {
        const said = Discarded.safeParse(ev.data);
        if (said.success) fn(said.data.roomId, said.data.clientId);
      };
      return () => {
        channel.close();
        if (listening === channel) listening = null;
      };
    },
  };
}
