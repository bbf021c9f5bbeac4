/**
 * Support staff's "All jobs": each card names the job's client and cleaner (from the list's `clientName`,
 * `cleanerName`: support is in none of the job rooms), and a search box finds the jobs of the person who
 * writes in ("my cleaner didn't show") by name, title or number.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@ecc/client';
import type { Job, User } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob } from '../test/fixtures.ts';

const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
const jobs: Job[] = [
  { id: 12, title: 'Oven', status: 'open', clientId: 3, clientName: 'Carol Client', cleanerId: null, roomId: null },
  { id: 7, title: 'Windows', status: 'assigned', clientId: 3, clientName: 'Carol Client', cleanerId: 4, cleanerName: 'Dan Cleaner', roomId: 2 },
  { id: 9, title: 'Attic', status: 'in_progress', clientId: alice.id, clientName: 'Alice Client', cleanerId: bob.id, cleanerName: 'Bob Cleaner', roomId: 1 },
];
const listing = { jobs: () => Promise.resolve(jobs), searchJobs: () => Promise.resolve([]) } as unknown as ApiClient;

async function page(user: User = sam) {
  const { transport } = renderChat(<JobsPage user={user} api={listing} />);
  act(() => transport.emit('ready', { user, rooms: [], totalUnread: 0 }));
  await flush();
  await screen.findByRole('listitem', { name: 'Job #9 · Attic' });
}

const card = (name: string) => within(screen.getByRole('listitem', { name }));
const shown = () => screen.queryAllByRole('listitem').map((li) => li.getAttribute('aria-label'));
const search = (text: string) => fireEvent.change(screen.getByRole('searchbox', { name: 'Find jobs' }), { target: { value: text } });

describe("support staff's jobs page", () => {
  it("names each job's client, and its cleaner once taken", async () => {
    await page();
    const windows = card('Job #7 · Windows');
    expect(windows.getByText('Client').nextElementSibling?.textContent).toBe('Carol Client');
    expect(windows.getByText('Cleaner').nextElementSibling?.textContent).toBe('Dan Cleaner');
    const oven = card('Job #12 · Oven');
    expect(oven.getByText('Client').nextElementSibling?.textContent).toBe('Carol Client');
    expect(oven.queryByText('Cleaner')).toBeNull();
  });

  it('finds the jobs of a client or cleaner by name, and a job by title or number', async () => {
    await page();
    expect(shown()).toHaveLength(3);
    search('carol');
    expect(shown()).toEqual(['Job #12 · Oven', 'Job #7 · Windows']);
    search('  DAN ');
    expect(shown()).toEqual(['Job #7 · Windows']);
    search('attic');
    expect(shown()).toEqual(['Job #9 · Attic']);
    // A number is the job's number, not any number within it (#1 is not #12).
    search('#12');
    expect(shown()).toEqual(['Job #12 · Oven']);
    search('1');
    expect(shown()).toEqual([]);
    search('');
    expect(shown()).toHaveLength(3);
  });

  it('says so when nothing matches', async () => {
    await page();
    search('Zed');
    expect(shown()).toEqual([]);
    expect(screen.getByText('No jobs match “Zed”.')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('No jobs match');
    search('bob');
    expect(screen.getByRole('status').textContent).toBe('1 job matches');
  });

  it('is for support staff: a client lists their own jobs without a search box, naming the cleaner before the chat loaded', async () => {
    await page(alice);
    expect(screen.queryByRole('searchbox')).toBeNull();
    const attic = card('Job #9 · Attic');
    expect(attic.getByText('Cleaner').nextElementSibling?.textContent).toBe('Bob Cleaner');
    expect(attic.queryByText('Client')).toBeNull();
  });
});
