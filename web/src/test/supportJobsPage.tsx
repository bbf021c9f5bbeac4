/** Support staff's jobs page over a fake API: the calls its Message and Join buttons make are recorded. */
import { act, screen } from '@testing-library/react';
import type { ApiClient } from '@ecc/client';
import type { Job, User } from '@ecc/protocol';
import { FloatingChatPanel } from '../components/FloatingChatPanel.tsx';
import { JobsPage } from '../pages/JobsPage.tsx';
import { flush, renderChat } from './renderChat.tsx';
import { alice, bob } from './fixtures.ts';

export const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };

/** An open job with no cleaner yet, and one under way between Alice and Bob (room 1). */
export const supportJobs: Job[] = [
  { id: 12, title: 'Oven', status: 'open', clientId: 3, clientName: 'Carol Client', cleanerId: null, roomId: null },
  { id: 9, title: 'Attic', status: 'in_progress', clientId: alice.id, clientName: 'Alice Client', cleanerId: bob.id, cleanerName: 'Bob Cleaner', roomId: 1 },
];

export interface SupportAnswers {
  /** The jobs listed (default `supportJobs`; keep job 9 among them, the page is shown once its card is). */
  jobs?: Job[];
  openSupportFor?: (userId: number) => Promise<unknown>;
  joinRoom?: (roomId: number) => Promise<unknown>;
}

const notAsked = () => Promise.reject(new Error('not asked'));

/**
 * The jobs page signed in as `user`, shown once its cards are drawn; `asked` / `joined` record the ids sent.
 * `panel`: with the floating chat panel beside it, as the app has (where an opened room's message box is).
 */
export async function renderSupportJobsPage(user: User, answers: SupportAnswers, { panel = false } = {}) {
  const asked: number[] = [];
  const joined: number[] = [];
  const api = {
    jobs: () => Promise.resolve(answers.jobs ?? supportJobs),
    searchJobs: () => Promise.resolve([]),
    openSupportFor: (userId: number) => (asked.push(userId), (answers.openSupportFor ?? notAsked)(userId)),
    joinRoom: (roomId: number) => (joined.push(roomId), (answers.joinRoom ?? notAsked)(roomId)),
  } as unknown as ApiClient;
  const rendered = renderChat(
    <>
      <JobsPage user={user} api={api} />
      {panel && <FloatingChatPanel />}
    </>,
  );
  act(() => rendered.transport.emit('ready', { user, rooms: [], totalUnread: 0 }));
  await flush();
  await screen.findByRole('listitem', { name: 'Job #9 · Attic' });
  return { ...rendered, asked, joined };
}
