/**
 * Every card has the same buttons ("Accept job", "Open chat", "Cancel job"): someone moving through
 * them with the keyboard and a screen reader hears which job each is for, as its description.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@ecc/client';
import type { Job } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob } from '../test/fixtures.ts';

const listing = (jobs: Job[]) => ({ jobs: () => Promise.resolve(jobs) }) as unknown as ApiClient;

describe('job buttons', () => {
  it("tell a cleaner which job each Accept job and Start job is for", async () => {
    const jobs: Job[] = [
      { id: 7, title: 'Windows', status: 'open' },
      { id: 8, title: 'Oven', status: 'open' },
      { id: 9, title: 'Attic', status: 'assigned', cleanerId: bob.id, clientId: alice.id, roomId: 4 },
    ];
    renderChat(<JobsPage user={bob} api={listing(jobs)} />);
    await screen.findByText('Windows');
    expect(screen.getByRole('button', { name: 'Accept job', description: 'Job #7 Windows' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Accept job', description: 'Job #8 Oven' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Start job', description: 'Job #9 Attic' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Open chat', description: 'Job #9 Attic' })).toBeTruthy();
  });

  it('tell a client which job Cancel job, and its confirmation, are for', async () => {
    renderChat(<JobsPage user={alice} api={listing([{ id: 3, title: 'Oven', status: 'open', clientId: alice.id }])} />);
    await screen.findByText('Oven');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel job', description: 'Job #3 Oven' }));
    expect(screen.getByRole('button', { name: 'Yes, cancel job', description: 'Job #3 Oven' })).toBeTruthy();
  });
});
