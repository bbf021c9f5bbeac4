/**
 * The messages I discarded, kept for a while in the browser's localStorage (shared by all its tabs),
 * per user. A tab holding a copy of one (a duplicated tab: "Duplicate tab" copies sessionStorage) that
 * was not listening when it was discarded (still loading, the server out of its reach, on the sign-in
 * page with unsent messages in memory, closed and reopened) finds it here when it puts its saved
 * messages back, and drops its copy instead of sending it. A copy restored after DISCARD_KEPT_MS, or
 * after DISCARDS_KEPT later discards, is no longer recognised: it goes out.
 */
import { z } from 'zod';
import { DEFAULT_LIMITS, Id } from '@ecc/protocol';
import type { KeyValueStorage } from './savedChat.ts';
import { storageAttempt } from './storageAttempt.ts';

/** How long a discard is remembered: longer than a laptop stays shut over a weekend with the tab restored. */
export const DISCARD_KEPT_MS = 7 * 24 * 60 * 60 * 1000;
/** The most discards remembered (the newest): about 80 bytes each. */
export const DISCARDS_KEPT = 500;

export const ClientId = z.string().min(1).max(DEFAULT_LIMITS.clientIdMaxChars);

const Discard = z.object({ roomId: Id, clientId: ClientId, at: z.number().int().nonnegative() });
type Discard = z.infer<typeof Discard>;

// Entries are checked one by one: one bad entry (written by a later version, or by hand) must not
// make the others unreadable, which would let their copies go out.
const Record = z.object({ version: z.literal(1), discarded: z.array(z.unknown()) });

const KEY_PREFIX = 'ecc.chat.v1.discarded.';

export class DiscardedSends {
  private readonly key: string;

  /** `storage` null (disabled by policy): nothing is remembered; a tab listening still hears the discard live. */
  constructor(
    private readonly storage: KeyValueStorage | null,
    userId: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = KEY_PREFIX + String(userId);
  }

  /** Remembers that I discarded this message; the oldest and the expired are forgotten. */
  add(roomId: number, clientId: string): void {
    const kept = this.read().filter((d) => !(d.roomId === roomId && d.clientId === clientId));
    kept.push({ roomId, clientId, at: this.now() });
    const data = { version: 1, discarded: kept.slice(-DISCARDS_KEPT) };
    storageAttempt(() => this.storage?.setItem(this.key, JSON.stringify(data)), 'The record of discarded messages');
  }

  /** Whether I discarded this message (in any tab) within DISCARD_KEPT_MS. */
  has(roomId: number, clientId: string): boolean {
    return this.read().some((d) => d.roomId === roomId && d.clientId === clientId);
  }

  /** The valid, unexpired discards, oldest first. */
  private read(): Discard[] {
    const text = storageAttempt(() => this.storage?.getItem(this.key) ?? null, 'The record of discarded messages');
    if (!text) return [];
    let record: z.infer<typeof Record>;
    try {
      const parsed = Record.safeParse(JSON.parse(text));
      if (!parsed.success) throw parsed.error;
      record = parsed.data;
    } catch {
      console.warn('Ignoring an unreadable record of discarded messages');
      return [];
    }
    const since = this.now() - DISCARD_KEPT_MS;
    const valid: Discard[] = [];
    for (const entry of record.discarded) {
      const d = Discard.safeParse(entry);
      if (d.success && d.data.at > since) valid.push(d.data);
    }
    return valid.slice(-DISCARDS_KEPT);
  }
}
