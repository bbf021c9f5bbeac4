import { ChatError } from '@ecc/protocol';

/**
 * What went wrong, in words a notice can show. The contract's other codes carry
 * words meant for the user ("This room is closed"); an INTERNAL's are meant for
 * the server's log ("…retry with the same clientId"), so the user gets ours.
 */
export function describeError(err: unknown): string {
  if (err instanceof ChatError) return err.code === 'INTERNAL' ? 'Something went wrong on our side' : err.message;
  if (err instanceof Error) return err.message;
  return 'Unknown error';
}

/** The server could not be reached (not a refusal): a notice of it no longer holds once the socket is back. */
export function unreachable(err: unknown): boolean {
  return err instanceof ChatError && err.code === 'UNAVAILABLE';
}
