/** Message text rules shared by `send` and `edit`. */
import { ChatError } from '@ecc/protocol';

/** TOO_LARGE over `maxChars` characters (code points); BAD_REQUEST when blank and blank is not allowed. */
export function checkContent(content: string, maxChars: number, allowBlank: boolean): void {
  // UTF-16 length ≥ code points, so the exact count is only needed near the limit.
  if (content.length > maxChars && [...content].length > maxChars) {
    throw new ChatError('TOO_LARGE', `Message is longer than ${maxChars} characters`);
  }
  if (!allowBlank && content.trim() === '') throw new ChatError('BAD_REQUEST', 'Message is empty');
}
