/** What a failed send of mine says about sending it again (unsentMessages.ts): counted, and whether the server answered. */
import type { PendingMessage } from './unsentMessages.ts';

/**
 * A failed message that sending again does not settle: the server answered it with an error (the library
 * had already sent it again itself, to a server that answers: a message the database keeps failing on
 * would otherwise keep only Retry for good, back after every reload), or it failed again after a Retry
 * (no answer twice: whatever stops it is not a moment's). A first failure with no answer is not: a slow
 * server or a dead link, which one Retry's ack or refusal most likely settles.
 */
export function retryWontSettle(pending: PendingMessage): boolean {
  return pending.status === 'failed' && (pending.answered || pending.failures >= 2);
}

/**
 * The message after a failure. The library's `send_failed` and the send's own rejection report the
 * same failure, in that order: it is counted at the first (the message was still on its way), and
 * only the first knows whether the server answered or refused it.
 */
export function afterFailure(pending: PendingMessage, error: string, said: { refused?: boolean; answered?: boolean }): PendingMessage {
  const first = pending.status === 'pending';
  return {
    ...pending,
    status: 'failed',
    error,
    mayBeStored: pending.mayBeStored && said.refused !== true,
    failures: first ? pending.failures + 1 : pending.failures,
    answered: said.answered ?? (first ? false : pending.answered),
  };
}
