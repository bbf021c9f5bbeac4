/**
 * The length of a text as the server counts it, and the counter shown near the limit: the message box
 * and the edit box (a message's 4,000), the job form's fields (a job's limits).
 */
import { charCount, DEFAULT_LIMITS } from '@ecc/protocol';

export const MAX_CHARS = DEFAULT_LIMITS.maxContentChars;

export interface TextLength {
  /** In code points, as the server counts them: an emoji is one character, not two UTF-16 units. */
  length: number;
  /** The limit it is measured against. */
  max: number;
  /** Past the limit: kept and flagged, never cut (a browser's maxlength would cut, and count UTF-16 units). */
  tooLong: boolean;
  /** Near the limit: the counter is shown. */
  counted: boolean;
}

/** `text` against `max` (a message's by default); counted from its last fifth on, or its last 500 characters when fewer. */
export function measureText(text: string, max: number = MAX_CHARS): TextLength {
  const length = charCount(text);
  const countFrom = max - Math.min(500, Math.floor(max / 5));
  return { length, max, tooLong: length > max, counted: length >= countFrom };
}

/**
 * "3,712 / 4,000", and what to remove past the limit; nothing short of the counted part. `id` is for the box's
 * aria-describedby. The live region is there, empty, all along: mounted with its first text, it was often not announced.
 */
export function CharacterCount({ id, measured, verb }: { id: string; measured: TextLength; verb: 'send' | 'save' | 'post' }) {
  const over = measured.length - measured.max;
  return (
    <p id={id} className={measured.tooLong ? 'char-count over' : 'char-count'} aria-live="polite">
      {measured.counted && (
        <>
          {formatCount(measured.length)} / {formatCount(measured.max)}
          {measured.tooLong && ` · Too long to ${verb}: remove ${formatCount(over)} ${over === 1 ? 'character' : 'characters'}.`}
        </>
      )}
    </p>
  );
}

/** 3712 → "3,712". */
function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
