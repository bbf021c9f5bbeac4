/**
 * The job form's and the job search's limits count characters as the server does (code points, as a
 * message's): a browser's maxLength counts UTF-16 units, so it cut a title of emoji at 60 of the 120
 * the server takes. The form now keeps what is typed, counts it near the limit like the message box, and
 * holds the post back past it (server/test/jobFieldLengths.test.ts is the server's side).
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '@ecc/client';
import type { CreateJobRequest, Job, User } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice } from '../test/fixtures.ts';

/** `n` characters, each two UTF-16 units. */
const emoji = (n: number) => '🧽'.repeat(n);
const postButton = () => screen.getByRole('button', { name: 'Post job' });

describe('the job form counts characters as the server does', () => {
  it('posts a title, address and details of emoji up to their limits whole; past one, says so and holds the post back', async () => {
    const posted: CreateJobRequest[] = [];
    const api = {
      jobs: () => Promise.resolve([]),
      createJob: (req: CreateJobRequest) => {
        posted.push(req);
        return Promise.resolve({ id: 9, title: req.title, status: 'open' } satisfies Job);
      },
    } as unknown as ApiClient;
    renderChat(<JobsPage user={alice} api={api} />);
    const fields = [
      ['Job title', 120],
      ['Address', 300],
      ['Details', 2000],
    ] as const;
    for (const [label, max] of fields) {
      const field = screen.getByLabelText<HTMLInputElement | HTMLTextAreaElement>(label);
      // A browser would cut at maxLength UTF-16 units (jsdom does not): none may be set.
      expect(field.maxLength, label).toBe(-1);
      fireEvent.change(field, { target: { value: emoji(max + 1) } });
      expect(field.value, label).toBe(emoji(max + 1));
      expect(field.getAttribute('aria-invalid'), label).toBe('true');
      const count = document.getElementById(field.getAttribute('aria-describedby')?.split(' ').find((id) => id.endsWith('-count')) ?? '');
      expect(count?.textContent, label).toBe(`${(max + 1).toLocaleString('en-US')} / ${max.toLocaleString('en-US')} · Too long to post: remove 1 character.`);
      expect(postButton().hasAttribute('disabled'), label).toBe(true);
      fireEvent.change(field, { target: { value: emoji(max) } });
      expect(field.getAttribute('aria-invalid'), label).toBeNull();
      expect(count?.textContent, label).toBe(`${max.toLocaleString('en-US')} / ${max.toLocaleString('en-US')}`);
    }
    expect(postButton().hasAttribute('disabled')).toBe(false);
    fireEvent.click(postButton());
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({ title: emoji(120), address: emoji(300), description: emoji(2000) });
  });

  it('shows no count while a field is short of its last fifth', () => {
    renderChat(<JobsPage user={alice} api={{ jobs: () => Promise.resolve([]) } as unknown as ApiClient} />);
    fireEvent.change(screen.getByLabelText('Job title'), { target: { value: emoji(95) } });
    expect(screen.queryByText(/\/ 120/)).toBeNull();
    fireEvent.change(screen.getByLabelText('Job title'), { target: { value: emoji(96) } });
    expect(screen.getByText('96 / 120')).toBeTruthy();
    expect(screen.getByLabelText('Address').getAttribute('aria-describedby')).toBe('job-address-hint');
  });
});

describe("support's search box counts characters as the server does", () => {
  it('keeps 100 emoji whole and cuts what is past them, never half of one', async () => {
    const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
    const searchJobs = vi.fn(() => Promise.resolve([] as Job[]));
    const { transport } = renderChat(<JobsPage user={sam} api={{ jobs: () => Promise.resolve([]), searchJobs } as unknown as ApiClient} />);
    act(() => transport.emit('ready', { user: sam, rooms: [], totalUnread: 0 }));
    await flush();
    const box = screen.getByRole<HTMLInputElement>('searchbox', { name: 'Find jobs' });
    expect(box.maxLength).toBe(-1);
    fireEvent.change(box, { target: { value: emoji(100) } });
    expect(box.value).toBe(emoji(100));
    fireEvent.change(box, { target: { value: `${emoji(100)}x🧽` } });
    expect(box.value).toBe(emoji(100));
  });
});
