/**
 * An assigned job's card says who the other person is: the client reads which cleaner took the job
 * (two jobs "Assigned" could be with anyone), the cleaner whose job it is, from the job's chat room.
 */
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@ecc/client';
import type { Job, User } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob, participant, room } from '../test/fixtures.ts';

const job: Job = { id: 9, title: 'Attic', status: 'assigned', clientId: alice.id, cleanerId: bob.id, roomId: 4 };
const listing = { jobs: () => Promise.resolve([job]) } as unknown as ApiClient;

async function cardOf(user: User) {
  const { transport } = renderChat(<JobsPage user={user} api={listing} />);
  act(() => transport.emit('ready', { user, rooms: [room(4, { job, participants: [participant(alice), participant(bob)] })], totalUnread: 0 }));
  await flush();
  return within(await screen.findByRole('listitem', { name: 'Job #9 · Attic' }));
}

describe("an assigned job's card", () => {
  it('tells the client which cleaner took the job', async () => {
    const card = await cardOf(alice);
    expect(card.getByText('Cleaner')).toBeTruthy();
    expect(card.getByText('Bob Cleaner')).toBeTruthy();
    expect(card.queryByText('Alice Client')).toBeNull();
  });

  it('tells the cleaner whose job it is', async () => {
    const card = await cardOf(bob);
    expect(card.getByText('Client')).toBeTruthy();
    expect(card.getByText('Alice Client')).toBeTruthy();
    expect(card.queryByText('Bob Cleaner')).toBeNull();
  });
});
