/**
 * Says what happened in a polite status line without flooding it: the first at once, what comes
 * within ANNOUNCE_GAP_MS after it together ("3 new messages from Bob"), then the next gap — a
 * screen reader interrupted by each new text would otherwise say only the last.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Message } from '@ecc/protocol';
import { arrivalTally, withoutReadRooms, type ArrivalTally } from '../chat/arrivals.ts';
import { useChat, usePageVisible } from '../chat/ChatContext.tsx';

/** After an announcement, further arrivals wait this long and are then announced together. */
export const ANNOUNCE_GAP_MS = 1500;

export interface Announcement {
  text: string;
  /** Changes with each announcement, so the same words said twice are a new node (and read again). */
  id: number;
}

/**
 * How what waits is kept (`S`, only what the words need) and said. Stable: a module's constant.
 */
export interface Tally<T, S> {
  /** What waits with `items` added (`waiting` null: nothing waited; may be changed in place). */
  add: (waiting: S | null, items: readonly T[]) => S;
  /** One text for what waited, or null for nothing to say. */
  words: (waiting: S) => string | null;
}

/** A tally that keeps the items themselves: for changes that are few (the job board's). */
export function listTally<T>(words: (items: readonly T[]) => string | null): Tally<T, readonly T[]> {
  return { add: (waiting, items) => [...(waiting ?? []), ...items], words };
}

/**
 * Arrivals of messages, said as `sayArrivals` words them. Not while the tab is hidden: a screen
 * reader follows the tab in front, and the last text was all the status line held on return
 * ("2 new messages", not the 230 that came), read by no one. What came meanwhile is said together
 * as the tab comes back ("230 new messages from Bob Cleaner"), kept meanwhile as counts per room,
 * not as the messages; a room read meanwhile on another device is left out.
 */
export function useArrivalAnnouncer(): SpacedAnnouncer<Message, ArrivalTally> {
  const chat = useChat();
  const spaced = useSpacedAnnouncer(arrivalTally, !usePageVisible());
  const { add: addAll, revise } = spaced;

  // Only while hidden: back in view, this tab reads the open room itself, and that is what is said.
  useEffect(() => {
    let rooms = chat.state.rooms;
    return chat.store.subscribe(() => {
      if (chat.state.rooms === rooms) return;
      rooms = chat.state.rooms;
      if (!chat.pageVisible()) revise((t) => withoutReadRooms(t, chat.state));
    });
  }, [chat, revise]);

  // Read elsewhere before they were added here (the store changed before this line looked).
  const add = useCallback(
    (items: readonly Message[]) => {
      addAll(items);
      if (!chat.pageVisible()) revise((t) => withoutReadRooms(t, chat.state, new Set(items.map((m) => m.roomId))));
    },
    [addAll, revise, chat],
  );
  return { ...spaced, add };
}

export interface SpacedAnnouncer<T, S> {
  announcement: Announcement | null;
  add: (items: readonly T[]) => void;
  clear: () => void;
  /** Changes what waits (null: nothing is left to say). */
  revise: (fn: (waiting: S) => S | null) => void;
}

/** What is added waits as `tally` keeps it. While `held`, it waits on, and is said when that ends. */
export function useSpacedAnnouncer<T, S>(tally: Tally<T, S>, held = false): SpacedAnnouncer<T, S> {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const waiting = useRef<S | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const holding = useRef(held);
  holding.current = held;

  const sayWaiting = useCallback(() => {
    const say = () => {
      const text = waiting.current === null ? null : tally.words(waiting.current);
      waiting.current = null;
      if (text === null) return false;
      setAnnouncement((shown) => ({ text, id: (shown?.id ?? 0) + 1 }));
      return true;
    };
    const cooldown = () => {
      timer.current = setTimeout(() => (!holding.current && say() ? cooldown() : (timer.current = null)), ANNOUNCE_GAP_MS);
    };
    if (timer.current === null && !holding.current && say()) cooldown();
  }, [tally]);

  const add = useCallback(
    (items: readonly T[]) => {
      waiting.current = tally.add(waiting.current, items);
      sayWaiting();
    },
    [tally, sayWaiting],
  );

  const revise = useCallback((fn: (waiting: S) => S | null) => {
    if (waiting.current !== null) waiting.current = fn(waiting.current);
  }, []);

  // Back in view: what waited is said at once.
  useEffect(() => {
    if (!held && waiting.current !== null) sayWaiting();
  }, [held, sayWaiting]);

  const clear = useCallback(() => {
    waiting.current = null;
    setAnnouncement(null);
  }, []);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return { announcement, add, clear, revise };
}
