/** Where "Sent" and "Seen" go under my own messages. */
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openRoomWith as openRoom } from '../test/renderChat.tsx';
import { alice, bob, message } from '../test/fixtures.ts';

describe('receipts under my messages', () => {
  it('shows "Sent" only under my messages not read yet: none under older ones the other person read', async () => {
    const { transport } = await openRoom([
      message(1, 1, alice, { content: 'The key is with the concierge' }),
      message(1, 2, bob, { content: 'Got it' }),
      message(1, 3, alice, { content: 'Thanks' }),
      message(1, 4, alice, { content: 'See you at 9' }),
    ]);
    act(() => transport.emit('receipt', { roomId: 1, userId: bob.id, lastReadSeq: 3 }));
    const log = screen.getByRole('log', { name: 'Conversation' });
    const receipts = within(log)
      .getAllByRole('article', { name: 'From You' })
      .map((el) => el.querySelector('.delivery')?.textContent ?? null);
    expect(receipts).toEqual([null, 'Seen', 'Sent']);
  });

  it('says "Sent" once, under the last of my messages not read yet, not under each of them', async () => {
    const { transport } = await openRoom([
      message(1, 1, alice, { content: 'On my way' }),
      message(1, 2, alice, { content: 'Traffic is bad' }),
      message(1, 3, alice, { content: 'There in 10' }),
    ]);
    act(() => transport.emit('receipt', { roomId: 1, userId: bob.id, lastReadSeq: 1 }));
    const log = screen.getByRole('log', { name: 'Conversation' });
    const receipts = () =>
      within(log)
        .getAllByRole('article', { name: 'From You' })
        .map((el) => el.querySelector('.delivery')?.textContent ?? null);
    expect(receipts()).toEqual(['Seen', null, 'Sent']);
    act(() => transport.emit('receipt', { roomId: 1, userId: bob.id, lastReadSeq: 3 }));
    expect(receipts()).toEqual([null, null, 'Seen']);
  });

});
