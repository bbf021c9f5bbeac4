/** The length of a message's text as the server counts it, and the counter both the message box and the edit box show near the limit. */
import { charCount, DEFAULT_LIMITS } from '@ecc/protocol';

export const MAX_CHARS = DEFAULT_LIMITS.maxContentChars;
/** The character counter shows from this length on. */
export const COUNTER_FROM = MAX_CHARS - 500;

export interface TextLength {
  /** In code points, as the server counts them: an emoji is one character, not two UTF-16 units. */
  length: number;
  /** Past the limit: kept and flagged, never cut (a browser's maxlength would cut, and count UTF-16 units). */
  tooLong: boolean;
  /** Near the limit: the counter is shown. */
  counted: boolean;
}

export function measureText(text: string): TextLength {
  const length = charCount(text);
  return { length, tooLong: length > MAX_CHARS, counted: length >= COUNTER_FROM };
}

/** "3,712 / 4,000", and what to remove past the limit; nothing below COUNTER_FROM. `id` is for the box's aria-describedby. */
export function CharacterCount({ id, measured, verb }: { id: string; measured: TextLength; verb: 'send' | 'save' }) {
  if (!measured.counted) return null;
  const over = measured.length - MAX_CHARS;
  return (
    <p id={id} className={measured.tooLong ? 'char-count over' : 'char-count'} aria-live="polite">
      {formatCount(measured.length)} / {formatCount(MAX_CHARS)}
      {measured.tooLong && ` · Too long to ${verb}: remove ${formatCount(over)} ${over === 1 ? 'character' : 'characters'}.`}
    </p>
  );
}

/** 3712 → "3,712". */
function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
