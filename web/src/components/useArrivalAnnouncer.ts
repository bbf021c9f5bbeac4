/**
 * Says what happened in a polite status line without flooding it: the first at once, what comes
 * within ANNOUNCE_GAP_MS after it together ("3 new messages from Bob"), then the next gap — a
 * screen reader interrupted by each new text would otherwise say only the last.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Message } from '@ecc/protocol';
import { arrivalAnnouncement } from '../chat/arrivals.ts';

/** After an announcement, further arrivals wait this long and are then announced together. */
export const ANNOUNCE_GAP_MS = 1500;

export interface Announcement {
  text: string;
  /** Changes with each announcement, so the same words said twice are a new node (and read again). */
  id: number;
}

/** Arrivals of messages, said as `arrivalAnnouncement` words them. */
export function useArrivalAnnouncer(): SpacedAnnouncer<Message> {
  return useSpacedAnnouncer(arrivalAnnouncement);
}

export interface SpacedAnnouncer<T> {
  announcement: Announcement | null;
  add: (items: readonly T[]) => void;
  clear: () => void;
}

/** `words` (stable: a module's function) turns what waited into one text, or null for nothing to say. */
export function useSpacedAnnouncer<T>(words: (items: readonly T[]) => string | null): SpacedAnnouncer<T> {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const waiting = useRef<T[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const add = useCallback(
    (items: readonly T[]) => {
      waiting.current.push(...items);
      const say = () => {
        const text = words(waiting.current);
        waiting.current = [];
        if (text === null) return false;
        setAnnouncement((held) => ({ text, id: (held?.id ?? 0) + 1 }));
        return true;
      };
      const cooldown = () => {
        timer.current = setTimeout(() => (say() ? cooldown() : (timer.current = null)), ANNOUNCE_GAP_MS);
      };
      if (timer.current === null && say()) cooldown();
    },
    [words],
  );

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
