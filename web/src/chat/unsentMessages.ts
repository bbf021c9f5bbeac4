/**
 * My messages not stored yet ("Sending…", or "Not sent" with Retry), and taking one back: a message
 * typed offline into the wrong room (a key code) must be discardable while it waits.
 *
 * Freely, one the server cannot hold: never put on a socket (still in the library's queue, or failed
 * before it went), or refused by the server (an error answer stores nothing under its clientId).
 * One written to a socket and not answered may be stored already: if the socket drops meanwhile it
 * is re-sent with the same clientId, which is what keeps it stored once. While it is on its way (on
 * the socket now) it is left to go; one failed once with no answer (no answer in time, the session
 * ended) keeps only Retry, whose answer (its ack, or a refusal) most likely settles it. Given up on
 * honestly (the question says it may have been delivered): one waiting off the socket to be sent again
 * (the socket it went on dropped: typed in a lift), and one that Retry does not settle (`retryWontSettle`).
 * The library decides whether one still held may be taken back, so a discard as the connection comes
 * back either takes it back or leaves it to go, never both.
 */
import type { Attachment, ReplyRef } from '@ecc/protocol';
import { retryWontSettle } from './sendFailures.ts';
import { roomMessagesOf, type ChatStore, type ConnectionState } from './store.ts';
import type { ChatTransport } from './transport.ts';
import type { OtherTabs } from './otherTabs.ts';

/** A message of mine not yet acknowledged by the server. */
export interface PendingMessage {
  clientId: string;
  roomId: number;
  content: string;
  replyTo: ReplyRef | null;
  /** Uploaded before sending; re-sent by id on retry. */
  attachment: Attachment | null;
  createdAt: string;
  status: 'pending' | 'failed';
  /** Why it failed, shown beside the retry action. */
  error: string | null;
  /**
   * It went on a socket (here, or before a reload) and the server has not refused it: it may be
   * stored, so it is sent again with its clientId, and discarded only once Retry does not settle it.
   */
  mayBeStored: boolean;
  /** How many times it failed ("Not sent"): a Retry that fails again makes 2. */
  failures: number;
  /** The server answered its last failure with an error (not a refusal: INTERNAL, after the library's retries). */
  answered: boolean;
}

/**
 * Whether the user may throw the message away: the server cannot hold it, or it may be stored and is
 * not on its way now (waiting for the connection to be sent again) or Retry does not settle it. A failed
 * message is no longer in the library's queue, so nothing sends it again once it is off the room (and so
 * off the tab's saved outbox); a copy the server stored after all still comes, from the history (the
 * resync after the reconnect) or live, as a sent message (the question asked says so).
 */
export function canDiscard(pending: PendingMessage, connection: ConnectionState): boolean {
  return !pending.mayBeStored || retryWontSettle(pending) || (pending.status === 'pending' && waitsForConnection(connection));
}

/** The library holds what is sending for the next connection: nothing of it is on a socket. */
function waitsForConnection(connection: ConnectionState): boolean {
  return connection === 'connecting' || connection === 'reconnecting';
}

/**
 * Throws away a message the user may discard (canDiscard): taken out of the library's queue first
 * (or it would go out after the reconnect), then off the room (and so off the tab's saved outbox),
 * and its uploaded file handed to `releaseFile` (deleted as a draft's is, unless another tab may send a
 * copy with it: controller.ts; the server keeps a file a stored message holds: 409, so a copy stored
 * after all keeps its file). False when it can no longer be taken back: it
 * went on the socket meanwhile (the library says so: it alone decides).
 */
export function discardUnsent(
  store: ChatStore,
  transport: Pick<ChatTransport, 'withdraw'>,
  releaseFile: (attachment: Attachment) => void,
  roomId: number,
  clientId: string,
): boolean {
  const state = store.getState();
  const pending = roomMessagesOf(state, roomId).pending.find((p) => p.clientId === clientId);
  if (!pending || !canDiscard(pending, state.connection)) return false;
  // A failed one is no longer in the library; one "Sending…" is, unless it was written meanwhile (or, one
  // that may be stored, is on the socket again). The user was asked whether it may have been delivered.
  if (pending.status === 'pending' && !transport.withdraw(clientId, { evenIfWritten: pending.mayBeStored })) return false;
  store.dispatch({ type: 'send_discarded', roomId, clientId });
  if (pending.attachment) releaseFile(pending.attachment);
  return true;
}

/**
 * My message discarded in another tab of this browser that holds a copy ("Duplicate tab": otherTabs.ts):
 * taken back here too, asking nothing (its user was asked there), unless the library has it on its socket
 * now: it then goes, and comes to both tabs as sent. Its file was that tab's to release.
 */
export function dropDiscardedElsewhere(store: ChatStore, transport: Pick<ChatTransport, 'withdraw'>, roomId: number, clientId: string): void {
  const pending = roomMessagesOf(store.getState(), roomId).pending.find((p) => p.clientId === clientId);
  if (!pending) return;
  if (pending.status === 'pending' && !transport.withdraw(clientId, { evenIfWritten: true })) return;
  store.dispatch({ type: 'send_discarded', roomId, clientId });
}

/**
 * Drops my unsent messages discarded in another tab that this one did not hear of live (its page frozen in
 * the background, or in the back-forward cache, as it was told): found in the record of discards.
 */
export function dropDiscardedUnheard(store: ChatStore, transport: Pick<ChatTransport, 'withdraw'>, tabs: Pick<OtherTabs, 'wasDiscarded'>): void {
  for (const rm of Object.values(store.getState().roomMessages)) {
    for (const p of rm.pending) if (tabs.wasDiscarded(p.roomId, p.clientId)) dropDiscardedElsewhere(store, transport, p.roomId, p.clientId);
  }
}
