/**
 * "Characters" as the contract counts them (content ≤ 4,000, clientId and ref
 * ≤ 64, a job's fields, support's search text): Unicode code points, so an
 * emoji is one character, not two UTF-16 units.
 */

/** Whether `text` has at most `max` characters (code points). */
export function withinChars(text: string, max: number): boolean {
  // UTF-16 length ≥ code points: the exact count is only needed past the limit.
  return text.length <= max || charCount(text) <= max;
}

/**
 * `.refine(...atMostChars(n))`: at most n characters, counted as code points, explicitly (zod's own
 * `.max()` counts what its version counts; the contract's rule must not move with it).
 */
export const atMostChars = (max: number) => [(text: string) => withinChars(text, max), `Must be at most ${max} characters`] as const;

/** The number of code points in `text` (a surrogate pair counts once). */
export function charCount(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

/** At most `max` characters (code points) of `text`: a text box's limit as the server counts it. */
export function cutChars(text: string, max: number): string {
  if (withinChars(text, max)) return text;
  let units = 0;
  for (let n = 0; n < max; n++) units += (text.codePointAt(units) ?? 0) > 0xffff ? 2 : 1;
  return text.slice(0, units);
}

/** At most `units` UTF-16 units of `text`, never half of a surrogate pair (a lone one is not valid text). */
export function cutWhole(text: string, units: number): string {
  if (text.length <= units) return text;
  const last = text.charCodeAt(units - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? units - 1 : units);
}
