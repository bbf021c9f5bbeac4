/** A round initials avatar with an optional presence dot. */
export function Avatar({ name, online }: { name: string; online?: boolean | undefined }) {
  return (
    <span className="avatar" aria-hidden="true" style={{ background: colourFor(name) }}>
      {initialsOf(name) || '?'}
      {online !== undefined && <span className={online ? 'presence-dot online' : 'presence-dot'} />}
    </span>
  );
}

// A letter or digit, as a whole code point: an emoji or an astral letter is two UTF-16 units, and
// its first unit alone shows as "�"; a zero-width space or joiner before a name would show as nothing.
const INITIAL = /[\p{L}\p{N}]/u;

/** "Bob Cleaner" → "BC"; words without a letter or digit ("😀", "—") give none. */
export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .map((word) => INITIAL.exec(word)?.[0])
    .filter((initial) => initial !== undefined)
    .slice(0, 2)
    .map((initial) => initial.toLocaleUpperCase())
    .join('');
}

const PALETTE = ['#0f9d8a', '#3b82f6', '#8b5cf6', '#ef8a3c', '#e0527a', '#2f9e44', '#0ea5b7'];

function colourFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? '#0f9d8a';
}
