/**
 * A job written in Hebrew or Arabic reads right to left on its card and in the form it is typed into,
 * as a message does: laid out left to right, "ניקיון המטבח!" showed as "!ניקיון המטבח", its
 * sentence's end first, and a description's brackets and full stops at the wrong ends.
 */
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@ecc/client';
import type { Job } from '@ecc/protocol';
import { JobsPage } from './JobsPage.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice } from '../test/fixtures.ts';

const job: Job = {
  id: 6,
  title: 'ניקיון המטבח!',
  description: 'המפתח מתחת לשטיח.',
  address: 'רחוב הרצל 12, תל אביב',
  status: 'open',
  clientId: alice.id,
  cleanerId: null,
  roomId: null,
};
const listing = { jobs: () => Promise.resolve([job]) } as unknown as ApiClient;

describe('a job in a right-to-left language', () => {
  it('takes its direction from its own text on the card and in the form', async () => {
    const { transport } = renderChat(<JobsPage user={alice} api={listing} />);
    act(() => transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    await flush();
    const card = within(await screen.findByRole('listitem', { name: `Job #6 · ${job.title}` }));
    expect(card.getByRole('heading', { name: job.title }).getAttribute('dir')).toBe('auto');
    expect(card.getByText(job.description ?? '').getAttribute('dir')).toBe('auto');
    expect(card.getByText(job.address ?? '').getAttribute('dir')).toBe('auto');
    for (const field of ['Job title', 'Address', 'Details']) expect(screen.getByLabelText(field).getAttribute('dir')).toBe('auto');
  });
});
