/**
 * Support staff's "Find jobs" reaches past the loaded list (the newest 500): the loaded jobs narrow at
 * once as the agent types, and when the text has settled the server's search of every job adds the
 * older matches — last month's job of the client who writes in.
 */
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '@ecc/client';
import type { Job, User } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob } from '../test/fixtures.ts';

const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
const loaded: Job[] = [
  { id: 12, title: 'Oven', status: 'open', clientId: 3, clientName: 'Carol Client', cleanerId: null, roomId: null },
  { id: 7, title: 'Windows', status: 'assigned', clientId: 3, clientName: 'Carol Client', cleanerId: 4, cleanerName: 'Dan Cleaner', roomId: 2 },
  { id: 9, title: 'Attic', status: 'in_progress', clientId: alice.id, clientName: 'Alice Client', cleanerId: bob.id, cleanerName: 'Bob Cleaner', roomId: 1 },
];
/** Beyond the newest 500: only the server's search finds it. */
const lastMonth: Job = { id: 2, title: 'Cleaner never showed', status: 'cancelled', clientId: 3, clientName: 'Carol Client', cleanerId: null, roomId: null };

async function page(searchJobs: (q: string) => Promise<Job[]>) {
  const api = { jobs: () => Promise.resolve(loaded), searchJobs: vi.fn(searchJobs) };
  const { transport } = renderChat(<JobsPage user={sam} api={api as unknown as ApiClient} />);
  act(() => transport.emit('ready', { user: sam, rooms: [], totalUnread: 0 }));
  await flush();
  await screen.findByRole('listitem', { name: 'Job #9 · Attic' });
  // From here the debounce is stepped by hand.
  vi.useFakeTimers();
  return api.searchJobs;
}

const shown = () => screen.queryAllByRole('listitem').map((li) => li.getAttribute('aria-label'));
const type = (text: string) => fireEvent.change(screen.getByRole('searchbox', { name: 'Find jobs' }), { target: { value: text } });
const wait = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

afterEach(() => {
  vi.useRealTimers();
});

describe("support staff's search of every job", () => {
  it('narrows the loaded jobs at once, then adds the older matches the server finds once typing settles', async () => {
    const searchJobs = await page(async (q) => (q.toLowerCase().startsWith('carol') ? [loaded[0] as Job, loaded[1] as Job, lastMonth] : []));
    type('c');
    type('ca');
    type('carol');
    expect(shown()).toEqual(['Job #12 · Oven', 'Job #7 · Windows']);
    await wait(299);
    expect(searchJobs).not.toHaveBeenCalled();
    await wait(1);
    expect(searchJobs.mock.calls).toEqual([['carol']]);
    expect(shown()).toEqual(['Job #12 · Oven', 'Job #7 · Windows', 'Job #2 · Cleaner never showed']);
    expect(screen.getByRole('status').textContent).toBe('3 jobs match');

    // Narrowed further: last month's job stays while the server is asked again (no flicker), and goes
    // at once for a text it does not match.
    type('carol client');
    expect(shown()).toContain('Job #2 · Cleaner never showed');
    type('windows');
    expect(shown()).toEqual(['Job #7 · Windows']);
    await wait(300);
    expect(searchJobs).toHaveBeenLastCalledWith('windows');
    expect(shown()).toEqual(['Job #7 · Windows']);

    // Cleared: the loaded list as it was, nothing left of the search.
    type('');
    await wait(300);
    expect(shown()).toHaveLength(3);
    expect(searchJobs).toHaveBeenCalledTimes(2);
  });

  it('shows only the answer to the latest text, whatever order the answers come in', async () => {
    const answers: { q: string; resolve: (jobs: Job[]) => void }[] = [];
    await page((q) => new Promise((resolve) => answers.push({ q, resolve })));
    type('never');
    await wait(300);
    type('nev');
    await wait(300);
    expect(answers.map((a) => a.q)).toEqual(['never', 'nev']);
    await act(async () => answers[1]?.resolve([]));
    await act(async () => answers[0]?.resolve([lastMonth]));
    expect(shown()).toEqual([]);
    expect(screen.getByRole('status').textContent).toBe('No jobs match');
  });

  it('keeps the loaded matches and says the wider search failed when the server cannot answer', async () => {
    const searchJobs = await page(() => Promise.reject(new Error('Server unavailable')));
    type('carol');
    await wait(300);
    expect(shown()).toEqual(['Job #12 · Oven', 'Job #7 · Windows']);
    expect(screen.getByRole('status').textContent).toBe('2 jobs match');
    expect(screen.getByRole('alert').textContent).toBe('Older jobs could not be searched (Server unavailable): only the loaded jobs are shown.');
    // Said until the server answers again (typing on does not make it blink), then gone.
    searchJobs.mockImplementation(() => Promise.resolve([lastMonth]));
    type('carol c');
    expect(screen.getByRole('alert')).toBeTruthy();
    await wait(300);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(shown()).toEqual(['Job #12 · Oven', 'Job #7 · Windows', 'Job #2 · Cleaner never showed']);
  });

  it('folds case and accents as the server does: what it finds for "emile" or "ZOË" is shown, loaded or not', async () => {
    const emile: Job = { id: 3, title: 'Balcony', status: 'open', clientId: 8, clientName: 'Émile Ñuñez', cleanerId: null, roomId: null };
    const zoe: Job = { id: 4, title: 'Ελαιόλαδο ΣΤΟ ΠΆΤΩΜΑ', status: 'completed', clientId: 3, clientName: 'Carol Client', cleanerId: 9, cleanerName: 'Zoë', roomId: null };
    await page(async (q) => (q === 'emile nunez' ? [emile] : q === 'ZOË' || q === 'πατωμα' ? [zoe] : []));
    const cases: [string, string][] = [
      ['emile nunez', 'Job #3 · Balcony'],
      ['ZOË', 'Job #4 · Ελαιόλαδο ΣΤΟ ΠΆΤΩΜΑ'],
      ['πατωμα', 'Job #4 · Ελαιόλαδο ΣΤΟ ΠΆΤΩΜΑ'],
    ];
    for (const [q, title] of cases) {
      type(q);
      await wait(300);
      expect(shown(), q).toEqual([title]);
    }
  });
});
