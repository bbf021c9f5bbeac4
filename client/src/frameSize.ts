/** The size limit of a client frame, checked before the frame is queued. */
import { ChatError } from '@ecc/protocol';

const encoder = new TextEncoder();

/** A TOO_LARGE error when `text` is over `maxBytes` in UTF-8; undefined when it fits. */
export function oversizeError(text: string, maxBytes: number): ChatError | undefined {
  // UTF-8 needs at most 3 bytes per UTF-16 unit: only encode when the frame could be too big.
  const size = text.length * 3 > maxBytes ? encoder.encode(text).length : text.length;
  return size > maxBytes ? new ChatError('TOO_LARGE', `Frame of ${size} bytes exceeds ${maxBytes}`) : undefined;
}
