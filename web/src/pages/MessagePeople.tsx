/**
 * Support staff's "Message client" / "Message cleaner" on a job's card: opens that person's support room
 * (the one their own "Contact support" opens; POST /api/support {userId}) in the floating chat panel, to
 * reach them about the job (a complaint, a no-show).
 */
import { useState } from 'react';
import type { ApiClient } from '@ecc/client';
import { ChatError, type Job } from '@ecc/protocol';
import { useChat } from '../chat/ChatContext.tsx';
import { describeError } from '../chat/describeError.ts';
import { aboutJob } from './JobCard.tsx';

interface Person {
  id: number;
  name: string;
  /** The button's visible text: the card names the person beside it. */
  label: string;
}

function peopleOf(job: Job): Person[] {
  const people: Person[] = [];
  if (job.clientId !== undefined && job.clientName) people.push({ id: job.clientId, name: job.clientName, label: 'Message client' });
  if (job.cleanerId != null && job.cleanerName) people.push({ id: job.cleanerId, name: job.cleanerName, label: 'Message cleaner' });
  return people;
}

/** `onFailed`: the page's own error line, saying whom the failed chat was for (`unreachable`: the server was). */
export function MessagePeople({ job, api, onFailed }: { job: Job; api: ApiClient; onFailed: (text: string, unreachable: boolean) => void }) {
  const chat = useChat();
  const [busy, setBusy] = useState<number | null>(null);

  const message = async (person: Person) => {
    setBusy(person.id);
    try {
      const room = await api.openSupportFor(person.id);
      chat.addRoom(room);
      chat.openRoom(room.id);
      // A room open already is not drawn anew, so its message box takes no focus (autoFocus) while this
      // button, disabled meanwhile, lost it: put it there, as Contact support does.
      document.getElementById(`composer-${room.id}`)?.focus();
    } catch (err) {
      const unreachable = err instanceof ChatError && err.code === 'UNAVAILABLE';
      onFailed(`Could not open a chat with ${person.name}: ${describeError(err)}`, unreachable);
    } finally {
      setBusy(null);
    }
  };

  return peopleOf(job).map((person) => (
    <button
      key={person.id}
      type="button"
      className="secondary"
      // The visible words first, then whom (WCAG 2.5.3: a voice user says what they see).
      aria-label={`${person.label} ${person.name}`}
      aria-describedby={aboutJob(job)}
      disabled={busy === person.id}
      onClick={() => void message(person)}
    >
      {person.label}
    </button>
  ));
}
