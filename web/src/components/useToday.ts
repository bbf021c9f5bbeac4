/**
 * The current local day (by the server's clock: clock.ts), for labels that name it ("Today", "Yesterday", a
 * bare time for today): they change at local midnight while the app stays
 * open. One clock for the whole app: a single timer, armed for the next
 * midnight while any component listens, and gone when none does.
 */
import { useSyncExternalStore } from 'react';
import { onServerClockChange, serverNow } from '../clock.ts';

const listeners = new Set<() => void>();
let midnightTimer: ReturnType<typeof setTimeout> | undefined;
let stopClockWatch: (() => void) | undefined;

/** The start of the local day of `now`, in ms since the epoch. */
function startOfDay(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}

/** A number, so the same day is the same snapshot and nothing re-renders until it changes. */
function today(): number {
  return startOfDay(new Date(serverNow()));
}

/** Lets every listener read the day again (React re-renders only those whose day changed). */
function recheck(): void {
  for (const onChange of listeners) onChange();
  armForMidnight();
}

function armForMidnight(): void {
  clearTimeout(midnightTimer);
  const now = new Date(serverNow());
  // A local date, so a day of 23 or 25 hours (daylight saving) still ends at its midnight; a timer
  // that fires early finds the same day and is simply armed again.
  const nextMidnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  midnightTimer = setTimeout(recheck, nextMidnight - now.getTime());
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  if (listeners.size === 1) {
    armForMidnight();
    // Timers stand still while the machine sleeps: one woken past midnight would fire late.
    document.addEventListener('visibilitychange', recheck);
    window.addEventListener('focus', recheck);
    // A device clock found to be wrong: the day by the server's clock may be another one.
    stopClockWatch = onServerClockChange(recheck);
  }
  return () => {
    listeners.delete(onChange);
    if (listeners.size > 0) return;
    clearTimeout(midnightTimer);
    document.removeEventListener('visibilitychange', recheck);
    window.removeEventListener('focus', recheck);
    stopClockWatch?.();
  };
}

/** The start of the current local day (ms): re-renders the caller when the day changes. */
export function useToday(): number {
  return useSyncExternalStore(subscribe, today);
}
