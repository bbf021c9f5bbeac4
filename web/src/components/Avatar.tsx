/** A round initials avatar with an optional presence dot. */
export function Avatar({ name, online }: { name: string; online?: boolean | undefined }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
  return (
    <span className="avatar" aria-hidden="true" style={{ background: colourFor(name) }}>
      {initials || '?'}
      {online !== undefined && <span className={online ? 'presence-dot online' : 'presence-dot'} />}
    </span>
  );
}

const PALETTE = ['#0f9d8a', '#3b82f6', '#8b5cf6', '#ef8a3c', '#e0527a', '#2f9e44', '#0ea5b7'];

function colourFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? '#0f9d8a';
}
