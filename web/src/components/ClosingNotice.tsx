/**
 * The notice above the message box of a finished job's room during its grace period: when the chat
 * closes (Room.closesAt), so no one agrees to send something later in a room that will not take it.
 */
import { useEffect, useState } from 'react';
import { formatDayAndTime } from '../format.ts';
import { useToday } from './useToday.ts';

const FINISHED: Record<string, string> = {
  completed: 'This job is completed. ',
  cancelled: 'This job was cancelled. ',
};

export function ClosingNotice({ jobStatus, closesAt }: { jobStatus: string | undefined; closesAt: string }) {
  // A date of this year goes without the year: read against today, kept current while the app stays open.
  const today = useToday();
  // Filled in after it is in the page: a polite live region reads out a change to it, not what it held
  // on arrival. The text depends on nothing but the room's status and closesAt, so later renders leave
  // the DOM (and the screen reader) alone.
  const [filled, setFilled] = useState(false);
  useEffect(() => setFilled(true), []);
  const text = `${FINISHED[jobStatus ?? ''] ?? ''}The chat closes on ${formatDayAndTime(closesAt, new Date(today))}.`;
  return (
    <p role="status" className="closing-notice">
      {filled ? text : ''}
    </p>
  );
}
