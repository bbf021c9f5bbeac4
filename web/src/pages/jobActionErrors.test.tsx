/**
 * What the jobs page says when a job action fails: the reason stays while it holds, and a
 * "Cannot reach the server" goes once the connection is back (the page works again).
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@ecc/client';
import { ChatError, type Job } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob } from '../test/fixtures.ts';

describe('job action errors', () => {
  it('takes back "Cannot reach the server" once the connection is back, keeping what the client typed', async () => {
    const api = {
      jobs: () => Promise.resolve([]),
      createJob: () => Promise.reject(new ChatError('UNAVAILABLE', 'Cannot reach the server')),
    } as unknown as ApiClient;
    const { transport } = renderChat(<JobsPage user={alice} api={api} />);
    act(() => transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    fireEvent.change(screen.getByLabelText('Job title'), { target: { value: 'Spring clean' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post job' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Cannot reach the server'));

    act(() => transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    await flush();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Job title').value).toBe('Spring clean');
  });

  it('says a fault on the server is on our side, not in the server log\'s words', async () => {
    const open: Job = { id: 3, title: 'Oven', status: 'open' };
    const api = {
      jobs: () => Promise.resolve([open]),
      acceptJob: () => Promise.reject(new ChatError('INTERNAL', 'Internal error')),
    } as unknown as ApiClient;
    renderChat(<JobsPage user={bob} api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Accept job' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Something went wrong on our side'));
  });

  it('keeps a refusal that still holds (the job was taken) when the connection is back', async () => {
    const open: Job = { id: 3, title: 'Oven', status: 'open' };
    const api = {
      jobs: () => Promise.resolve([open]),
      acceptJob: () => Promise.reject(new ChatError('CONFLICT', 'This job is no longer open')),
    } as unknown as ApiClient;
    const { transport } = renderChat(<JobsPage user={bob} api={api} />);
    act(() => transport.emit('ready', { user: bob, rooms: [], totalUnread: 0 }));
    fireEvent.click(await screen.findByRole('button', { name: 'Accept job' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('This job is no longer open'));
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    act(() => transport.emit('ready', { user: bob, rooms: [], totalUnread: 0 }));
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('This job is no longer open');
  });

  it('names the job a refused accept was for: its card has left the board (another cleaner took it)', async () => {
    const open: Job = { id: 3, title: 'Oven', status: 'open' };
    let listed = [open];
    const api = {
      jobs: () => Promise.resolve(listed),
      acceptJob: () => {
        listed = [];
        return Promise.reject(new ChatError('CONFLICT', 'This job is no longer open'));
      },
    } as unknown as ApiClient;
    renderChat(<JobsPage user={bob} api={api} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Accept job' }));
    await waitFor(() => expect(screen.queryByText('Oven')).toBeNull());
    expect(screen.getByRole('alert').textContent).toBe('Could not accept job #3 “Oven”: This job is no longer open');
  });

  it('says what failed when posting a job fails', async () => {
    const api = {
      jobs: () => Promise.resolve([]),
      createJob: () => Promise.reject(new ChatError('UNAVAILABLE', 'Cannot reach the server')),
    } as unknown as ApiClient;
    renderChat(<JobsPage user={alice} api={api} />);
    fireEvent.change(screen.getByLabelText('Job title'), { target: { value: 'Spring clean' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post job' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not post the job: Cannot reach the server'));
  });
});
