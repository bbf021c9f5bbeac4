/**
 * "Characters" as the contract counts them (content ≤ 4,000, clientId and ref
 * ≤ 64): Unicode code points, so an emoji is one character, not two UTF-16 units.
 */

/** Whether `text` has at most `max` characters (code points). */
export function withinChars(text: string, max: number): boolean {
  // UTF-16 length ≥ code points: the exact count is only needed past the limit.
  return text.length <= max || charCount(text) <= max;
}

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

/** At most `units` UTF-16 units of `text`, never half of a surrogate pair (a lone one is not valid text). */
export function cutWhole(text: string, units: number): string {
  if (text.length <= units) return text;
  const last = text.charCodeAt(units - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? units - 1 : units);
}
