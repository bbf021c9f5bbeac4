/**
 * A room's name cut to one line: "Job #12 · " (or "Support · ") whole, then the rest — a job's title, a
 * person's name — in a part of its own direction, cut at its own end. The name laid out as one
 * left-to-right line (it begins with "Job #12") and cut at its right end showed only the last words of
 * a right-to-left title. The parts follow the names the server gives (docs/protocol.md: "Room names").
 */
import type { ReactNode } from 'react';

const SEPARATOR = ' · ';

/** `mark` renders the name's characters [from, to) (the list marks what its search matched). */
export function RoomName({ name, mark = (from, to) => name.slice(from, to) }: { name: string; mark?: (from: number, to: number) => ReactNode }) {
  const split = name.indexOf(SEPARATOR);
  const lead = split < 0 ? 0 : split + SEPARATOR.length;
  return (
    <>
      {lead > 0 && <span className="room-name-lead">{mark(0, lead)}</span>}
      <span className="room-name-rest" dir="auto">
        {mark(lead, name.length)}
      </span>
    </>
  );
}
