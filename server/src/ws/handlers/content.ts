/** Message text rules shared by `send` and `edit`. */
import { ChatError, withinChars } from '@ecc/protocol';

/** TOO_LARGE over `maxChars` characters (code points); BAD_REQUEST when blank and blank is not allowed. */
export function checkContent(content: string, maxChars: number, allowBlank: boolean): void {
  if (!withinChars(content, maxChars)) {
    throw new ChatError('TOO_LARGE', `Message is longer than ${maxChars} characters`);
  }
  if (!allowBlank && content.trim() === '') throw new ChatError('BAD_REQUEST', 'Message is empty');
}
