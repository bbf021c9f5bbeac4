/**
 * "Now" by the server's clock. A phone's clock can be hours wrong while every time the server
 * gives is right: a message being sent would show a time that jumps once it is stored, and sit
 * under another day than the messages around it, and "Today" would name the device's day. The
 * server's time in each `ready` gives the device's error; everything that asks "what time is it"
 * against server times asks here. Durations (throttles, timeouts) keep the device's own clock.
 */

let offsetMs = 0;
const listeners = new Set<() => void>();

/** The server's time as of now: the `ready` frame's `serverTime`, received at `receivedAt` by the device's clock. */
export function noteServerTime(serverTime: string, receivedAt: number = Date.now()): void {
  const server = Date.parse(serverTime);
  if (Number.isNaN(server)) return;
  offsetMs = server - receivedAt;
  for (const onChange of listeners) onChange();
}

/** Milliseconds since the epoch by the server's clock. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

/** Calls `onChange` when the correction changes (the day may have, too); returns the unsubscriber. */
export function onServerClockChange(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

/** For tests: back to the device's clock. */
export function resetServerClock(): void {
  offsetMs = 0;
}
