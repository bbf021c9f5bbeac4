/**
 * Says what happened in a polite status line without flooding it: the first at once, what comes
 * within ANNOUNCE_GAP_MS after it together ("3 new messages from Bob"), then the next gap — a
 * screen reader interrupted by each new text would otherwise say only the last.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Message } from '@ecc/protocol';
import { arrivalAnnouncement } from '../chat/arrivals.ts';
import { usePageVisible } from '../chat/ChatContext.tsx';

/** After an announcement, further arrivals wait this long and are then announced together. */
export const ANNOUNCE_GAP_MS = 1500;

export interface Announcement {
  text: string;
  /** Changes with each announcement, so the same words said twice are a new node (and read again). */
  id: number;
}

/**
 * Arrivals of messages, said as `arrivalAnnouncement` words them. Not while the tab is hidden: a
 * screen reader follows the tab in front, and the last text was all the status line held on return
 * ("2 new messages", not the 230 that came), read by no one. What came meanwhile is said together
 * as the tab comes back ("230 new messages from Bob Cleaner").
 */
export function useArrivalAnnouncer(): SpacedAnnouncer<Message> {
  return useSpacedAnnouncer(arrivalAnnouncement, !usePageVisible());
}

export interface SpacedAnnouncer<T> {
  announcement: Announcement | null;
  add: (items: readonly T[]) => void;
  clear: () => void;
}

/**
 * `words` (stable: a module's function) turns what waited into one text, or null for nothing to
 * say. While `held`, what is added waits, and is said when it ends.
 */
export function useSpacedAnnouncer<T>(words: (items: readonly T[]) => string | null, held = false): SpacedAnnouncer<T> {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const waiting = useRef<T[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const holding = useRef(held);
  holding.current = held;

  const sayWaiting = useCallback(() => {
    const say = () => {
      const text = words(waiting.current);
      waiting.current = [];
      if (text === null) return false;
      setAnnouncement((shown) => ({ text, id: (shown?.id ?? 0) + 1 }));
      return true;
    };
    const cooldown = () => {
      timer.current = setTimeout(() => (!holding.current && say() ? cooldown() : (timer.current = null)), ANNOUNCE_GAP_MS);
    };
    if (timer.current === null && !holding.current && say()) cooldown();
  }, [words]);

  const add = useCallback(
    (items: readonly T[]) => {
      waiting.current.push(...items);
      sayWaiting();
    },
    [sayWaiting],
  );

  // Back in view: what waited is said at once.
  useEffect(() => {
    if (!held && waiting.current.length > 0) sayWaiting();
  }, [held, sayWaiting]);

  const clear = useCallback(() => {
    waiting.current = [];
    setAnnouncement(null);
  }, []);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return { announcement, add, clear };
}
