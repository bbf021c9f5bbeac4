/**
 * A job's time is the time at the address. The post form stores what the client picked,
 * "2026-12-01T10:00", with no zone; the API stores any text as given. Shown as written, never
 * moved into the reader's time zone: a cleaner in another zone must read the client's 10:00 as 10:00.
 */

// Date, optional time, optional offset (only after a time): "2026-12-01", "2026-12-01T10:00", "…T10:00:00+01:00".
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

// The written fields are formatted as a UTC instant in UTC: no zone moves them.
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** "1 Dec 2026, 10:00, at the address"; "… 10:00 (UTC+01:00)" when written with an offset; a bare date alone; other text as it is. */
export function formatJobTime(value: string): string {
  const m = ISO_LIKE.exec(value.trim());
  if (!m) return value;
  const [year, month, day, hour, minute, second, offset] = m.slice(1).map((part) => part ?? '');
  const at = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour || 0), Number(minute || 0), Number(second || 0)));
  // Date.UTC rolls "2026-02-31" over into March: text that is no real date stays text.
  if (Number.isNaN(at.getTime()) || at.getUTCDate() !== Number(day) || at.getUTCMonth() !== Number(month) - 1) return value;
  if (!hour) return dayFormat.format(at);
  if (Number(hour) > 23 || Number(minute) > 59) return value;
  if (!offset) return `${dayTimeFormat.format(at)}, at the address`;
  const written = offset.toUpperCase() === 'Z' ? 'UTC' : `UTC${offset.slice(0, 3)}:${offset.slice(-2)}`;
  return `${dayTimeFormat.format(at)} (${written})`;
}

/** UTC−12, where the clock is furthest behind: a time earlier than its "now" has passed in every zone. */
const FURTHEST_BEHIND_UTC_MS = 12 * 3_600_000;

/**
 * A time picked in the post form ("2026-12-01T10:00", the time at the address) that has passed
 * wherever the address is. The form does not know the address's zone, so only a time earlier than
 * the clock furthest behind (UTC−12) is surely past; `nowMs` is the server's clock (clock.ts).
 */
export function hasPassedEverywhere(picked: string, nowMs: number): boolean {
  const earliestNow = new Date(nowMs - FURTHEST_BEHIND_UTC_MS).toISOString().slice(0, 16);
  // Both "YYYY-MM-DDTHH:MM[:SS]": compared as text, in order.
  return picked !== '' && picked < earliestNow;
}
