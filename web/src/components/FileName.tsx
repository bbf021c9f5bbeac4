/**
 * A file name cut to fit in the middle, not at the end: "Cleaning_checklist_fo…version_2.pdf".
 * Names often differ only at the end (a version, a date) and the end tells the type; cut at the
 * end, two picked files looked the same. The whole name is what screen readers and the tooltip get.
 */

/** How much of the end always shows: about "version_2.pdf" or "20261127.jpeg". */
const KEPT_END = 14;

export function FileName({ name, className }: { name: string; className?: string }) {
  // By code points: an emoji in a name is never cut in half.
  const chars = [...name];
  const head = chars.slice(0, Math.max(0, chars.length - KEPT_END)).join('');
  const end = chars.slice(head === '' ? 0 : chars.length - KEPT_END).join('');
  return (
    // A right-to-left name lays its two halves out right to left: its beginning where its reader starts.
    <span className={className ? `file-name ${className}` : 'file-name'} title={name} dir="auto">
      <span className="visually-hidden">{name}</span>
      <span className="file-name-head" aria-hidden="true">
        {head}
      </span>
      <span className="file-name-end" aria-hidden="true">
        {end}
      </span>
    </span>
  );
}
