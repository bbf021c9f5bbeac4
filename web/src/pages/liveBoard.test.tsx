/**
 * A cleaner's open-jobs board is live: `open_job` frames (an addition) add a job posted by a client and
 * take away one another cleaner accepted or its client cancelled, without reading the list again.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@ecc/client';
import type { Job } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { ANNOUNCE_GAP_MS } from '../components/useArrivalAnnouncer.ts';
import { flush, renderChat } from '../test/renderChat.tsx';
import { bob } from '../test/fixtures.ts';

const job = (id: number, createdAt: string, extra: Partial<Job> = {}): Job => ({ id, title: `Job ${id}`, status: 'open', createdAt, cleanerId: null, roomId: null, ...extra });
const older = job(7, '2026-11-29T08:00:00.000Z');
const newer = job(8, '2026-11-29T09:00:00.000Z');
const oldest = job(5, '2026-11-29T07:00:00.000Z');

/** Bob's page over a list the test sets, counting how often it is read. */
function bobsBoard(list: () => Promise<Job[]>, accept: () => Promise<Job> = () => Promise.reject(new Error('unused'))) {
  let listings = 0;
  const api = {
    jobs: () => {
      listings += 1;
      return list();
    },
    acceptJob: accept,
  } as unknown as ApiClient;
  const r = renderChat(<JobsPage user={bob} api={api} />);
  return { ...r, listings: () => listings };
}

const openTitles = () =>
  within(screen.getByRole('region', { name: 'Open jobs' }))
    .queryAllByRole('listitem')
    .map((card) => card.querySelector('h3')?.textContent);

describe('the live open-jobs board', () => {
  it('shows a job as it is posted, in its place, and drops it when it is taken or cancelled, reading no list', async () => {
    const { transport, listings } = bobsBoard(() => Promise.resolve([older, oldest]));
    await waitFor(() => expect(openTitles()).toEqual(['Job 7', 'Job 5']));
    act(() => transport.emit('open_job', { job: newer }));
    act(() => transport.emit('open_job', { job: job(6, '2026-11-29T07:30:00.000Z') }));
    expect(openTitles()).toEqual(['Job 8', 'Job 7', 'Job 6', 'Job 5']);
    act(() => transport.emit('open_job', { job: { ...older, status: 'assigned' } }));
    act(() => transport.emit('open_job', { job: { ...oldest, status: 'cancelled' } }));
    expect(openTitles()).toEqual(['Job 8', 'Job 6']);
    // A late copy of "posted" does not bring back a job that left.
    act(() => transport.emit('open_job', { job: older }));
    expect(openTitles()).toEqual(['Job 8', 'Job 6']);
    expect(listings()).toBe(1);
  });

  it('applies what came while the list was loading (the list may have been read before the change)', async () => {
    let answer: (jobs: Job[]) => void = () => {};
    const { transport } = bobsBoard(() => new Promise((resolve) => (answer = resolve)));
    act(() => transport.emit('open_job', { job: newer }));
    act(() => transport.emit('open_job', { job: { ...oldest, status: 'assigned' } }));
    await act(async () => answer([older, oldest]));
    expect(openTitles()).toEqual(['Job 8', 'Job 7']);
  });

  it('keeps the job the cleaner is accepting (its own accept took it off the board), with no error', async () => {
    let accepted: (j: Job) => void = () => {};
    let list = [older];
    const { transport } = bobsBoard(
      () => Promise.resolve(list),
      () => new Promise((resolve) => (accepted = resolve)),
    );
    const accept = await screen.findByRole('button', { name: 'Accept job' });
    act(() => accept.click());
    act(() => transport.emit('open_job', { job: { ...older, status: 'assigned' } }));
    expect(openTitles()).toEqual(['Job 7']);
    const mine = { ...older, status: 'assigned' as const, cleanerId: bob.id };
    list = [mine];
    await act(async () => accepted(mine));
    await flush();
    expect(openTitles()).toEqual([]);
    expect(within(screen.getByRole('region', { name: 'My jobs' })).getByText('Job 7')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps a job posted live while the cleaner accepts it, though its "taken" frame came first', async () => {
    let accepted: (j: Job) => void = () => {};
    let list = [older];
    const { transport } = bobsBoard(
      () => Promise.resolve(list),
      () => new Promise((resolve) => (accepted = resolve)),
    );
    await waitFor(() => expect(openTitles()).toEqual(['Job 7']));
    act(() => transport.emit('open_job', { job: newer }));
    act(() => within(screen.getByRole('listitem', { name: 'Job #8 · Job 8' })).getByRole('button', { name: 'Accept job' }).click());
    act(() => transport.emit('open_job', { job: { id: 8, title: 'Job 8', status: 'assigned', createdAt: newer.createdAt } }));
    expect(openTitles()).toEqual(['Job 8', 'Job 7']);
    const mine = { ...newer, status: 'assigned' as const, cleanerId: bob.id, roomId: 3 };
    list = [mine, older];
    await act(async () => accepted(mine));
    await flush();
    expect(openTitles()).toEqual(['Job 7']);
    expect(within(screen.getByRole('region', { name: 'My jobs' })).getByText('Job 8')).toBeTruthy();
  });

  it('reads its list again when more changes came than are kept (some made after the list was read were let go)', async () => {
    const { transport, listings } = bobsBoard(() => Promise.resolve([older]));
    await waitFor(() => expect(openTitles()).toEqual(['Job 7']));
    act(() => {
      for (let id = 100; id <= 1100; id++) transport.emit('open_job', { job: job(id, '2026-11-29T10:00:00.000Z', { status: 'cancelled' }) });
    });
    await flush();
    expect(listings()).toBe(2);
  });

  it('reads its list again once the socket hears the board, when it was read before (a job posted between went unheard)', async () => {
    const { transport, listings } = bobsBoard(() => Promise.resolve([older]));
    await waitFor(() => expect(listings()).toBe(1));
    act(() => transport.emit('ready', { user: bob, rooms: [], totalUnread: 0 }));
    await waitFor(() => expect(listings()).toBe(2));
    // Read while connected, a list needs no second reading.
    act(() => document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(() => expect(listings()).toBe(3));
    await flush();
    expect(listings()).toBe(3);
  });

  it('forgets what it heard on sign-out, and reads the list again when the connection is back', async () => {
    const { transport, chat, listings } = bobsBoard(() => Promise.resolve([older]));
    await waitFor(() => expect(openTitles()).toEqual(['Job 7']));
    act(() => transport.emit('open_job', { job: newer }));
    expect(chat.openJobs.getState().changes.size).toBe(1);
    act(() => transport.emit('ready', { user: bob, rooms: [], totalUnread: 0 }));
    await waitFor(() => expect(listings()).toBe(2));
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    act(() => transport.emit('ready', { user: bob, rooms: [], totalUnread: 0 }));
    await waitFor(() => expect(listings()).toBe(3));
    act(() => chat.disconnect());
    expect(chat.openJobs.getState().changes.size).toBe(0);
  });

  it("keeps the keyboard's place when the job it was on leaves the board: the next card, else the one before, else the heading", async () => {
    const { transport } = bobsBoard(() => Promise.resolve([newer, older, oldest]));
    await waitFor(() => expect(openTitles()).toEqual(['Job 8', 'Job 7', 'Job 5']));
    const card = (id: number) => screen.getByRole('region', { name: 'Open jobs' }).querySelector<HTMLElement>(`[data-job-id="${id}"]`);
    within(card(7)!).getByRole('button', { name: 'Accept job' }).focus();
    act(() => transport.emit('open_job', { job: { ...older, status: 'assigned' } }));
    expect(card(5)?.contains(document.activeElement)).toBe(true);
    // The last card had it: the one before takes it.
    act(() => transport.emit('open_job', { job: { ...oldest, status: 'cancelled' } }));
    expect(card(8)?.contains(document.activeElement)).toBe(true);
    act(() => transport.emit('open_job', { job: { ...newer, status: 'assigned' } }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Open jobs' }));
  });

  it('leaves the keyboard where it was when the job that left the board did not have it', async () => {
    const { transport } = bobsBoard(() => Promise.resolve([newer, older]));
    await waitFor(() => expect(openTitles()).toEqual(['Job 8', 'Job 7']));
    const accept8 = within(screen.getByRole('listitem', { name: 'Job #8 · Job 8' })).getByRole('button', { name: 'Accept job' });
    accept8.focus();
    act(() => transport.emit('open_job', { job: { ...older, status: 'assigned' } }));
    expect(document.activeElement).toBe(accept8);
    accept8.blur();
    act(() => transport.emit('open_job', { job: { ...newer, status: 'cancelled' } }));
    expect(document.activeElement).toBe(document.body);
  });

  it('says politely what the board changed live, not the list it first read nor the cleaner\'s own accept', async () => {
    let list = [older, oldest];
    let accepted: (j: Job) => void = () => {};
    const { transport } = bobsBoard(
      () => Promise.resolve(list),
      () => new Promise((resolve) => (accepted = resolve)),
    );
    await waitFor(() => expect(openTitles()).toEqual(['Job 7', 'Job 5']));
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live') ?? 'polite').toBe('polite');
    expect(status.textContent).toBe('');
    const marked = { ...newer, title: '<b>Oven</b> & hob' };
    act(() => transport.emit('open_job', { job: marked }));
    expect(status.textContent).toBe('New job: <b>Oven</b> & hob');
    expect(status.querySelector('b')).toBeNull();
    act(() => transport.emit('open_job', { job: { ...oldest, status: 'cancelled' } }));
    // Not over the first at once (a screen reader would cut it off): said after a short gap.
    expect(status.textContent).toBe('New job: <b>Oven</b> & hob');
    await waitFor(() => expect(status.textContent).toBe('Job Job 5 is no longer open'), { timeout: ANNOUNCE_GAP_MS * 2 });
    // The cleaner's own accept, and the list read after it, are not news.
    act(() => within(screen.getByRole('listitem', { name: 'Job #7 · Job 7' })).getByRole('button', { name: 'Accept job' }).click());
    act(() => transport.emit('open_job', { job: { ...older, status: 'assigned' } }));
    const mine = { ...older, status: 'assigned' as const, cleanerId: bob.id };
    list = [mine, job(9, '2026-11-29T10:00:00.000Z'), marked];
    await act(async () => accepted(mine));
    await flush();
    expect(openTitles()).toEqual(['Job 9', '<b>Oven</b> & hob']);
    expect(status.textContent).toBe('Job Job 5 is no longer open');
  });

  it('says changes that come close together together, after the first, so a screen reader does not cut one off', async () => {
    const { transport } = bobsBoard(() => Promise.resolve([older, oldest]));
    await waitFor(() => expect(openTitles()).toEqual(['Job 7', 'Job 5']));
    const status = screen.getByRole('status');
    act(() => transport.emit('open_job', { job: newer }));
    act(() => transport.emit('open_job', { job: { ...older, status: 'assigned' } }));
    act(() => transport.emit('open_job', { job: { ...oldest, status: 'cancelled' } }));
    expect(status.textContent).toBe('New job: Job 8');
    await waitFor(() => expect(status.textContent).toBe('Job Job 7 is no longer open. Job Job 5 is no longer open'), { timeout: ANNOUNCE_GAP_MS * 2 });
  });

  it("does not say the cleaner's own accepted job is no longer open when its frame and the list read after it are drawn together", async () => {
    let list = [older];
    let accepted: (j: Job) => void = () => {};
    const { transport } = bobsBoard(
      () => Promise.resolve(list),
      () => new Promise((resolve) => (accepted = resolve)),
    );
    const accept = await screen.findByRole('button', { name: 'Accept job' });
    act(() => accept.click());
    const mine = { ...older, status: 'assigned' as const, cleanerId: bob.id };
    list = [mine];
    // The answer and the list read after it come first, the socket's frame just after: one redraw.
    await act(async () => {
      accepted(mine);
      await new Promise((r) => setTimeout(r, 0));
      transport.emit('open_job', { job: { ...older, status: 'assigned' } });
    });
    await flush();
    expect(within(screen.getByRole('region', { name: 'My jobs' })).getByText('Job 7')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('says many changes heard at once as counts, not one by one', async () => {
    const { transport } = bobsBoard(() => Promise.resolve([older, oldest]));
    await waitFor(() => expect(openTitles()).toEqual(['Job 7', 'Job 5']));
    act(() => {
      for (const id of [20, 21, 22, 23]) transport.emit('open_job', { job: job(id, '2026-11-29T10:00:00.000Z') });
      transport.emit('open_job', { job: { ...oldest, status: 'assigned' } });
    });
    expect(screen.getByRole('status').textContent).toBe('4 new jobs, 1 no longer open');
  });

  it('says nothing into a hidden tab (heard by no one), and says what came meanwhile as the tab comes back', async () => {
    const { transport, env } = bobsBoard(() => Promise.resolve([older, oldest]));
    await waitFor(() => expect(openTitles()).toEqual(['Job 7', 'Job 5']));
    act(() => env.setVisible(false));
    act(() => transport.emit('open_job', { job: newer }));
    act(() => transport.emit('open_job', { job: { ...oldest, status: 'cancelled' } }));
    expect(screen.getByRole('status').textContent).toBe('');
    act(() => env.setVisible(true));
    expect(screen.getByRole('status').textContent).toBe('New job: Job 8. Job Job 5 is no longer open');
  });
});
