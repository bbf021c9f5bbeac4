/** Date and time formatting for the chat, in the user's locale and time zone. */

/**
 * The time of day in the locale's own clock: "09:05" or "14:05" where the day has 24 hours,
 * "9:05 AM" where it has 12 (a leading zero there, "09:05 AM", is not how anyone writes it).
 */
export function timeFormatFor(locale?: string): Intl.DateTimeFormat {
  const hourCycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
  const twelveHour = hourCycle === 'h11' || hourCycle === 'h12';
  return new Intl.DateTimeFormat(locale, { hour: twelveHour ? 'numeric' : '2-digit', minute: '2-digit' });
}

const timeFormat = timeFormatFor();
// Dates of the current year go without it ("Tuesday, 3 March"), earlier ones with it ("3 Nov 2025").
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayWithYearFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const shortDayWithYearFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const weekdayWithYearFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

function dayOf(d: Date, now: Date): string {
  return (d.getFullYear() === now.getFullYear() ? dayFormat : dayWithYearFormat).format(d);
}

function shortDayOf(d: Date, now: Date): string {
  return (d.getFullYear() === now.getFullYear() ? shortDayFormat : shortDayWithYearFormat).format(d);
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

/** "Wednesday, 25 November 2026 at 14:05": a message's time on hover, whose day separator may be far above. */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/** "14:05". */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

function dayKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** The local calendar day as a number that grows with it: 20261026 for 26 November 2026. */
export function localDayNumber(iso: string): number {
  const d = new Date(iso);
  return d.getFullYear() * 10_000 + d.getMonth() * 100 + d.getDate();
}

function relativeDay(d: Date, now: Date): 'today' | 'yesterday' | null {
  if (dayKey(d) === dayKey(now)) return 'today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  return dayKey(d) === dayKey(yesterday) ? 'yesterday' : null;
}

/** The label of a date separator: "Today", "Yesterday" or the full date. */
export function formatDay(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const relative = relativeDay(d, now);
  if (relative) return relative === 'today' ? 'Today' : 'Yesterday';
  return dayOf(d, now);
}

/** "Last seen today at 14:05", "… yesterday at 09:10" or "… on 3 Nov": a bare time would not say which day. */
export function formatLastSeen(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const relative = relativeDay(d, now);
  return relative ? `Last seen ${relative} at ${formatTime(iso)}` : `Last seen on ${shortDayOf(d, now)}`;
}

/** The chat list's time column: the time today, "Yesterday" (as the day separators say), else a short date. */
export function formatListTime(iso: string, now: Date = new Date()): string {
  const relative = relativeDay(new Date(iso), now);
  if (relative === 'today') return formatTime(iso);
  return relative === 'yesterday' ? 'Yesterday' : shortDayOf(new Date(iso), now);
}

/**
 * A moment to come, by its date whatever the day ("Tue 1 Dec at 10:00"; the year when not this one): a
 * notice holding it says the same tomorrow as today, so it is not read out again at midnight.
 */
export function formatDayAndTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const day = (d.getFullYear() === now.getFullYear() ? weekdayFormat : weekdayWithYearFormat).format(d);
  return `${day} at ${formatTime(iso)}`;
}
