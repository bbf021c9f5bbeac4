/**
 * Support staff's "Message client" / "Message cleaner" on a job's card: opens that person's support room
 * (the one their own "Contact support" opens; POST /api/support {userId}) in the floating chat panel, to
 * reach them about the job (a complaint, a no-show).
 */
import { useState } from 'react';
import { HttpChatError, type ApiClient } from '@ecc/client';
import type { Job } from '@ecc/protocol';
import { useChat } from '../chat/ChatContext.tsx';
import { describeError, unreachable } from '../chat/describeError.ts';
import { showRoom } from '../components/showRoom.ts';
import { aboutJob } from './JobCard.tsx';
import { useJoinRoom } from './JoinRoom.tsx';

/**
 * An action offered beside a failure's words: the page shows it after them (FailureActionButton), and takes
 * the words away once it worked. `run` resolves whether it did (a failure it reported through `onFailed`).
 */
export interface FailureAction {
  label: string;
  /** The button's words while it runs. */
  busyLabel: string;
  run: () => Promise<boolean>;
}

/**
 * A failure's action as a button. While it runs it stays, saying so, with the keyboard on it:
 * `aria-disabled` and clicks ignored, as a disabled button would drop the focus to the page.
 */
export function FailureActionButton({ action, onDone }: { action: FailureAction; onDone: (worked: boolean) => void }) {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    if (busy) return;
    setBusy(true);
    let worked = false;
    try {
      worked = await action.run();
    } finally {
      setBusy(false);
      onDone(worked);
    }
  };
  return (
    <button type="button" className="secondary" aria-disabled={busy || undefined} onClick={() => void click()}>
      {busy ? action.busyLabel : action.label}
    </button>
  );
}

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

/**
 * `onFailed`: the page's own error line, saying whom the failed chat was for (`unreachable`: the server was);
 * with `action` when the person's room is another agent's: "Join conversation" joins it (its agent may be away).
 */
export function MessagePeople({ job, api, onFailed }: { job: Job; api: ApiClient; onFailed: (text: string, unreachable: boolean, action?: FailureAction) => void }) {
  const chat = useChat();
  const join = useJoinRoom(api);
  const [busy, setBusy] = useState<number | null>(null);

  const joinOf = (person: Person, roomId: number): FailureAction => ({
    label: 'Join conversation',
    busyLabel: 'Joining…',
    run: () =>
      join(roomId).then(
        () => true,
        (err: unknown) => {
          onFailed(`Could not join the conversation with ${person.name}: ${describeError(err)}`, unreachable(err));
          return false;
        },
      ),
  });

  const message = async (person: Person) => {
    setBusy(person.id);
    try {
      const room = await api.openSupportFor(person.id);
      showRoom(chat, room);
    } catch (err) {
      // Another agent's room (409 naming it): the agent may be away, and joining is said to everyone in it.
      const handled = err instanceof HttpChatError && err.code === 'CONFLICT' && err.roomId !== undefined ? joinOf(person, err.roomId) : undefined;
      onFailed(`Could not open a chat with ${person.name}: ${describeError(err)}`, unreachable(err), handled);
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
