/**
 * Says arrivals in a polite status line without flooding it: the first at once, those that come
 * within ANNOUNCE_GAP_MS after it together ("3 new messages from Bob"), then the next gap.
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

export function useArrivalAnnouncer(): { announcement: Announcement | null; add: (arrivals: readonly Message[]) => void; clear: () => void } {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const waiting = useRef<Message[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const add = useCallback((arrivals: readonly Message[]) => {
    waiting.current.push(...arrivals);
    const say = () => {
      const text = arrivalAnnouncement(waiting.current);
      waiting.current = [];
      if (text === null) return false;
      setAnnouncement((held) => ({ text, id: (held?.id ?? 0) + 1 }));
      return true;
    };
    const cooldown = () => {
      timer.current = setTimeout(() => (say() ? cooldown() : (timer.current = null)), ANNOUNCE_GAP_MS);
    };
    if (timer.current === null && say()) cooldown();
  }, []);

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
