/** Records every event of a ChatClient so tests can assert on what the app would have seen. */
import type { ChatClient, ChatClientEvents } from '../../src/index.ts';

export type Recorded = { [K in keyof ChatClientEvents]: ChatClientEvents[K][] };

const EVENT_TYPES: (keyof ChatClientEvents)[] = [
  'state', 'ready', 'message', 'message_updated', 'unread', 'receipt', 'typing', 'presence', 'room', 'open_job', 'error', 'send_failed', 'send_written',
];

export function record(client: ChatClient): Recorded {
  const events = Object.fromEntries(EVENT_TYPES.map((t) => [t, []])) as unknown as Recorded;
  for (const type of EVENT_TYPES) client.on(type, (ev) => (events[type] as unknown[]).push(ev));
  return events;
}

/** Seqs of the `message` events of one room, in the order the app got them. */
export function seqsOf(events: Recorded, roomId: number): number[] {
  return events.message.filter((e) => e.message.roomId === roomId).map((e) => e.message.seq);
}

/** Resolves when `cond()` is true, polling; for state that arrives through events. */
export async function until(cond: () => boolean, timeoutMs = 15_000, what = 'a condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
