import { ChatError } from '@ecc/protocol';

/** What went wrong, in words a notice can show. */
export function describeError(err: unknown): string {
  if (err instanceof ChatError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Unknown error';
}
