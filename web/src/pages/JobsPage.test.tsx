import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@ecc/client';
import { ChatError, type Job, type User } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob } from '../test/fixtures.ts';

/** The few calls the page makes, answered from a list the test controls. */
function fakeApi(jobs: Job[], accept: () => Promise<Job>) {
  let calls = 0;
  const api = {
    jobs: () => {
      calls += 1;
      return Promise.resolve(jobs);
    },
    acceptJob: accept,
  } as unknown as ApiClient;
  return { api, jobListings: () => calls };
}

/** Alice's page with one open job of hers; the status changes asked for, in order. */
function aliceWithAnOpenJob(): string[] {
  const open: Job = { id: 3, title: 'Oven', status: 'open', clientId: alice.id };
  const changes: string[] = [];
  const api = {
    jobs: () => Promise.resolve([open]),
    setJobStatus: (_id: number, status: string) => {
      changes.push(status);
      return Promise.resolve({ ...open, status });
    },
  } as unknown as ApiClient;
  renderChat(<JobsPage user={alice} api={api} />);
  return changes;
}

describe('JobsPage', () => {
  it('says why accepting failed (someone else took the job), though the list reloads fine afterwards', async () => {
    const open: Job = { id: 7, title: 'Windows', status: 'open' };
    const { api } = fakeApi([open], () => Promise.reject(new ChatError('CONFLICT', 'This job was already taken')));
    renderChat(<JobsPage user={bob} api={api} />);
    const accept = await screen.findByRole('button', { name: 'Accept job' });
    act(() => accept.click());
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not accept job #7 “Windows”: This job was already taken'));
  });

  it("tells a cleaner browsing open jobs that the address comes with accepting, and the client that only that cleaner sees it", async () => {
    const withAddress: Job = { id: 7, title: 'Windows', status: 'open', addressOnAccept: true };
    const without: Job = { id: 8, title: 'Oven', status: 'open' };
    renderChat(<JobsPage user={bob} api={fakeApi([withAddress, without], () => Promise.reject(new Error('unused'))).api} />);
    expect(await screen.findByText('Given to the cleaner who accepts the job')).toBeTruthy();
    // A job posted without an address says nothing of one.
    expect(screen.getAllByText('Given to the cleaner who accepts the job')).toHaveLength(1);
  });

  it('tells the client who will see the address', () => {
    renderChat(<JobsPage user={alice} api={{ jobs: () => Promise.resolve([]) } as unknown as ApiClient} />);
    expect(screen.getByLabelText('Address').getAttribute('aria-describedby')).toBe('job-address-hint');
    expect(document.getElementById('job-address-hint')?.textContent).toBe('Only the cleaner who accepts the job sees it.');
  });

  it('keeps what the client typed when posting the job fails, and clears it once posted', async () => {
    let answer: () => Promise<Job> = () => Promise.reject(new ChatError('UNAVAILABLE', 'Cannot reach the server'));
    const api = { jobs: () => Promise.resolve([]), createJob: () => answer() } as unknown as ApiClient;
    renderChat(<JobsPage user={alice} api={api} />);
    const title = screen.getByLabelText<HTMLInputElement>('Job title');
    const details = screen.getByLabelText<HTMLTextAreaElement>('Details');
    fireEvent.change(title, { target: { value: 'Spring clean' } });
    fireEvent.change(details, { target: { value: 'Three bedrooms, keys with the neighbour at no. 9' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post job' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not post the job: Cannot reach the server'));
    expect(title.value).toBe('Spring clean');
    expect(details.value).toBe('Three bedrooms, keys with the neighbour at no. 9');
    expect(screen.getByRole('button', { name: 'Post job' }).hasAttribute('disabled')).toBe(false);

    answer = () => Promise.resolve({ id: 9, title: 'Spring clean', status: 'open' });
    fireEvent.click(screen.getByRole('button', { name: 'Post job' }));
    await waitFor(() => expect(title.value).toBe(''));
    expect(details.value).toBe('');
  });

  it('refuses a time that has passed everywhere (a slip of the picker to 2020), saying so at the field, instead of posting a job no one can do', async () => {
    const posted: unknown[] = [];
    const api = {
      jobs: () => Promise.resolve([]),
      createJob: (req: unknown) => {
        posted.push(req);
        return Promise.resolve({ id: 9, title: 'Spring clean', status: 'open' });
      },
    } as unknown as ApiClient;
    renderChat(<JobsPage user={alice} api={api} />);
    const when = screen.getByLabelText<HTMLInputElement>('When');
    fireEvent.change(screen.getByLabelText('Job title'), { target: { value: 'Spring clean' } });
    fireEvent.change(when, { target: { value: '2020-01-01T10:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post job' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('That time has already passed. Pick a time still to come.'));
    await flush();
    expect(posted).toEqual([]);
    expect(when.value).toBe('2020-01-01T10:00');
    expect(when.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(when);

    // Tomorrow is to come in every time zone: posted as picked.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    fireEvent.change(when, { target: { value: `${tomorrow}T09:00` } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Post job' }));
    await waitFor(() => expect(posted).toEqual([{ title: 'Spring clean', scheduledAt: `${tomorrow}T09:00` }]));
  });

  it("offers a job's chat to its client and cleaner, not to support staff, who are not in that room", async () => {
    const assigned: Job = { id: 1, title: 'Deep clean', status: 'assigned', clientId: alice.id, cleanerId: bob.id, roomId: 4 };
    const { api } = fakeApi([assigned], () => Promise.reject(new Error('unused')));
    const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
    for (const [user, offered] of [[alice, true], [bob, true], [sam, false]] as const) {
      const r = renderChat(<JobsPage user={user} api={api} />);
      await screen.findByText('Deep clean');
      expect(screen.queryAllByRole('button', { name: 'Open chat' })).toHaveLength(offered ? 1 : 0);
      r.unmount();
    }
  });

  it('lets support staff move a job along (contract: the job\'s client, its cleaner or support staff)', async () => {
    const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
    let jobs: Job[] = [{ id: 1, title: 'Deep clean', status: 'in_progress', clientId: alice.id, cleanerId: bob.id, roomId: 4 }];
    const changes: [number, string][] = [];
    const api = {
      jobs: () => Promise.resolve(jobs),
      setJobStatus: (id: number, status: Job['status']) => {
        changes.push([id, status]);
        jobs = jobs.map((j) => (j.id === id ? { ...j, status } : j));
        return Promise.resolve(jobs[0]);
      },
    } as unknown as ApiClient;
    renderChat(<JobsPage user={sam} api={api} />);
    await screen.findByText('Deep clean');
    expect(screen.getByRole('button', { name: 'Cancel job' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Mark completed' }));
    await waitFor(() => expect(changes).toEqual([[1, 'completed']]));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Mark completed' })).toBeNull());
    expect(screen.queryByRole('button', { name: 'Cancel job' })).toBeNull();
  });

  it('reloads the jobs when the tab is shown again (others post and take jobs without an event)', async () => {
    const { api, jobListings } = fakeApi([], () => Promise.reject(new Error('unused')));
    renderChat(<JobsPage user={bob} api={api} />);
    await waitFor(() => expect(jobListings()).toBe(1));
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(jobListings()).toBe(2));
  });

  it('reloads the jobs when the chat connection is back after an outage (jobs changed meanwhile sent no event it heard), not on the first connect (a client\'s page: a cleaner\'s list read before the socket heard the board is read again, liveBoard.test.tsx)', async () => {
    const { api, jobListings } = fakeApi([], () => Promise.reject(new Error('unused')));
    const { transport } = renderChat(<JobsPage user={alice} api={api} />);
    await waitFor(() => expect(jobListings()).toBe(1));
    act(() => transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    await flush();
    expect(jobListings()).toBe(1);
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    await flush();
    expect(jobListings()).toBe(1);
    act(() => transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    await waitFor(() => expect(jobListings()).toBe(2));
  });

  it('takes one click on a job action: its buttons wait for the answer (a second click got "no longer open")', async () => {
    const open: Job = { id: 7, title: 'Windows', status: 'open' };
    let answer: (job: Job) => void = () => {};
    let accepts = 0;
    const { api } = fakeApi([open], () => {
      accepts += 1;
      return new Promise<Job>((resolve) => (answer = resolve));
    });
    renderChat(<JobsPage user={bob} api={api} />);
    const accept = await screen.findByRole('button', { name: 'Accept job' });
    fireEvent.click(accept);
    fireEvent.click(accept);
    expect(accepts).toBe(1);
    expect(accept.hasAttribute('disabled')).toBe(true);
    await act(async () => answer({ ...open, status: 'assigned', cleanerId: bob.id }));
    await waitFor(() => expect(accept.hasAttribute('disabled')).toBe(false));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks before cancelling a job, which cannot be undone, and keeps it when the client says no', async () => {
    const changes = aliceWithAnOpenJob();
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel job' }));
    expect(changes).toEqual([]);
    const keep = screen.getByRole('button', { name: 'Keep job' });
    expect(document.activeElement).toBe(keep);
    fireEvent.click(keep);
    expect(changes).toEqual([]);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel job' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel job' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, cancel job' }));
    await waitFor(() => expect(changes).toEqual(['cancelled']));
  });

  it('keeps the keyboard on the job after an action replaced its button (accepted: it moved to "My jobs")', async () => {
    let jobs: Job[] = [{ id: 7, title: 'Windows', status: 'open' }];
    const api = {
      jobs: () => Promise.resolve(jobs),
      acceptJob: () => {
        jobs = [{ ...jobs[0]!, status: 'assigned', cleanerId: bob.id, roomId: 3 }];
        return Promise.resolve(jobs[0]);
      },
    } as unknown as ApiClient;
    renderChat(<JobsPage user={bob} api={api} />);
    const accept = await screen.findByRole('button', { name: 'Accept job' });
    accept.focus();
    fireEvent.click(accept);
    await screen.findByRole('button', { name: 'Start job' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('listitem', { name: 'Job #7 · Windows' })));
  });

  it('takes the keyboard to the reason when an action failed and its job left the list (another cleaner took it)', async () => {
    let jobs: Job[] = [{ id: 7, title: 'Windows', status: 'open' }];
    const api = {
      jobs: () => Promise.resolve(jobs),
      acceptJob: () => {
        jobs = [];
        return Promise.reject(new ChatError('CONFLICT', 'The job is no longer open: someone else changed it meanwhile'));
      },
    } as unknown as ApiClient;
    renderChat(<JobsPage user={bob} api={api} />);
    const accept = await screen.findByRole('button', { name: 'Accept job' });
    accept.focus();
    fireEvent.click(accept);
    await screen.findByText('No open jobs right now.');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('alert')));
  });

  it('takes back the cancel question on Escape, leaving the job as it was', async () => {
    const changes = aliceWithAnOpenJob();
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel job' }));
    fireEvent.keyDown(screen.getByRole('button', { name: 'Keep job' }), { key: 'Escape' });
    expect(screen.queryByRole('button', { name: 'Yes, cancel job' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel job' }));
    expect(changes).toEqual([]);
  });

  it('leaves the keyboard in the form after posting (the Post button, disabled meanwhile, dropped it)', async () => {
    const api = { jobs: () => Promise.resolve([]), createJob: () => Promise.resolve({ id: 9, title: 'Oven', status: 'open' }) } as unknown as ApiClient;
    renderChat(<JobsPage user={alice} api={api} />);
    const title = screen.getByLabelText<HTMLInputElement>('Job title');
    fireEvent.change(title, { target: { value: 'Oven' } });
    const post = screen.getByRole('button', { name: 'Post job' });
    post.focus();
    fireEvent.click(post);
    await waitFor(() => expect(title.value).toBe(''));
    expect(document.activeElement).toBe(title);
  });

  it('shows the answer of the latest list read only: an older one that comes later, or its error, is dropped', async () => {
    const answers: { resolve: (jobs: Job[]) => void; reject: (err: Error) => void }[] = [];
    const api = { jobs: () => new Promise<Job[]>((resolve, reject) => answers.push({ resolve, reject })) } as unknown as ApiClient;
    renderChat(<JobsPage user={bob} api={api} />);
    await waitFor(() => expect(answers).toHaveLength(1));
    for (const n of [2, 3]) {
      act(() => document.dispatchEvent(new Event('visibilitychange')));
      await waitFor(() => expect(answers).toHaveLength(n));
    }
    await act(async () => answers[2]!.resolve([{ id: 8, title: 'Newest list', status: 'open' }]));
    await screen.findByText('Newest list');
    await act(async () => answers[0]!.resolve([{ id: 7, title: 'Oldest list', status: 'open' }]));
    await act(async () => answers[1]!.reject(new Error('Cannot reach the server')));
    await flush();
    expect(screen.getByText('Newest list')).toBeTruthy();
    expect(screen.queryByText('Oldest list')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("still takes the keyboard to the accepted job when a newer list read overtook the action's own", async () => {
    const answers: ((jobs: Job[]) => void)[] = [];
    const open: Job = { id: 7, title: 'Windows', status: 'open' };
    const api = {
      jobs: () => new Promise<Job[]>((resolve) => answers.push(resolve)),
      acceptJob: () => Promise.resolve({ ...open, status: 'assigned', cleanerId: bob.id }),
    } as unknown as ApiClient;
    renderChat(<JobsPage user={bob} api={api} />);
    await waitFor(() => expect(answers).toHaveLength(1));
    await act(async () => answers[0]!([open]));
    const accept = await screen.findByRole('button', { name: 'Accept job' });
    accept.focus();
    fireEvent.click(accept);
    await waitFor(() => expect(answers).toHaveLength(2));
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(answers).toHaveLength(3));
    const assigned: Job = { ...open, status: 'assigned', cleanerId: bob.id, roomId: 3 };
    await act(async () => answers[1]!([assigned]));
    await act(async () => answers[2]!([assigned]));
    await screen.findByRole('button', { name: 'Start job' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('listitem', { name: 'Job #7 · Windows' })));
  });
});
