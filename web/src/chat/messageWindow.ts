/**
 * A room's stored messages as the chat holds them: one ascending, seq-unique,
 * contiguous window, merged with pages and live messages, where the newer copy
 * of a message (edited, deleted) always wins.
 */
import { newerCopy } from '@ecc/client';
import { replyExcerpt, type Message, type ReplyRef } from '@ecc/protocol';

/**
 * Merges two ascending, seq-unique lists; on equal seq the newer copy wins: a
 * page read before an edit or deletion must not undo it.
 */
export function mergeMessages(held: readonly Message[], incoming: readonly Message[]): readonly Message[] {
  if (incoming.length === 0) return held;
  const last = held[held.length - 1];
  const first = incoming[0];
  if (last && first && first.seq > last.seq) return [...held, ...incoming];
  // An older page, just before the window (what paging up brings): no sort of thousands held.
  const heldFirst = held[0];
  const incomingLast = incoming[incoming.length - 1];
  if (heldFirst && incomingLast && incomingLast.seq < heldFirst.seq) return [...incoming, ...held];
  const bySeq = new Map<number, Message>();
  for (const m of held) bySeq.set(m.seq, m);
  for (const m of incoming) {
    const other = bySeq.get(m.seq);
    bySeq.set(m.seq, other ? newerCopy(other, m) : m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Replaces held copies by the fresh page's where those are newer. New seqs are
 * left to the live stream, which delivers them in order, so the window stays
 * contiguous. Returns `held` itself when nothing changed.
 */
export function refreshHeld(held: readonly Message[], fresh: readonly Message[]): readonly Message[] {
  const freshBySeq = new Map(fresh.map((m) => [m.seq, m]));
  let changed = false;
  const next = held.map((m) => {
    const other = freshBySeq.get(m.seq);
    const kept = other ? newerCopy(m, other) : m;
    if (kept !== m) changed = true;
    return kept;
  });
  return changed ? next : held;
}

/** The held window starts before the page (and after seq 1): there is more to load above the page. */
export function hasOlderThan(held: readonly Message[], page: readonly Message[]): boolean {
  const heldFirst = held[0];
  const pageFirst = page[0];
  return heldFirst !== undefined && pageFirst !== undefined && heldFirst.seq < pageFirst.seq && heldFirst.seq > 1;
}

/**
 * The replies to `original` quoting it as it is now. The server makes a reply's excerpt when the
 * reply is read, so a held copy would go on quoting text since edited or deleted (a door code sent
 * by mistake) until a reload. Returns `held` itself when no quote changed.
 */
export function requoteReplies<T extends { replyTo: ReplyRef | null }>(held: readonly T[], original: Message): readonly T[] {
  const excerpt = replyExcerpt(original);
  let changed = false;
  const next = held.map((m) => {
    if (m.replyTo?.id !== original.id || m.replyTo.excerpt === excerpt) return m;
    changed = true;
    return { ...m, replyTo: { ...m.replyTo, excerpt } };
  });
  return changed ? next : held;
}
