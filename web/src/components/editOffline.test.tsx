/** An edit saved while the connection is down: the library holds it until the socket is back. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { flush, openRoomOffline } from '../test/renderChat.tsx';
import { alice, message, room } from '../test/fixtures.ts';

const mine = message(1, 2, alice, { content: 'Meet at 9' });
const ready = { user: alice, rooms: [room(1, { lastSeq: 2 })], totalUnread: 0 };

/** Alice's room, offline, her edit of "Meet at 9" saved as `text` and not answered yet. */
async function savedOffline(text: string) {
  const r = await openRoomOffline(mine);
  r.transport.holdEdits = true;
  fireEvent.click(within(screen.getByRole('article', { name: 'From You' })).getByRole('button', { name: 'Edit' }));
  fireEvent.change(screen.getByLabelText('Edit text'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  await flush();
  return r;
}

const bubble = () => screen.getByRole('article', { name: 'From You' });

describe('an edit saved while offline', () => {
  it('shows the new text as not saved yet, then saving once back, then saved when the server confirms it', async () => {
    const { transport, chat } = await savedOffline('Meet at 10');
    expect(bubble().textContent).toContain('Meet at 10');
    expect(within(bubble()).getByRole('status').textContent).toBe('Not saved yet: you are offline. It is saved when the connection is back.');
    // Leaving the page now would lose it: the page asks first.
    expect(chat.isSending()).toBe(true);

    act(() => transport.emit('ready', ready));
    expect(within(bubble()).getByRole('status').textContent).toBe('Saving…');

    act(() => transport.emit('message_updated', { message: { ...mine, content: 'Meet at 10', editedAt: '2026-11-25T11:00:00.000Z' } }));
    act(() => transport.heldEdits[0]?.resolve());
    await flush();
    expect(within(bubble()).queryByRole('status')).toBeNull();
    expect(bubble().textContent).toContain('(edited)Meet at 10');
    expect(chat.isSending()).toBe(false);
  });

  it('comes back in its box with why when refused, and opens again from the text being saved', async () => {
    const { transport, chat } = await savedOffline('Meet at 10');
    // Edit pressed again while it is being saved: the box starts from the text on its way, not the old one.
    fireEvent.click(within(bubble()).getByRole('button', { name: 'Edit' }));
    expect((screen.getByLabelText('Edit text') as HTMLTextAreaElement).value).toBe('Meet at 10');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    act(() => transport.heldEdits[0]?.reject(new ChatError('RATE_LIMITED', 'Slow down')));
    await flush();
    expect((screen.getByLabelText('Edit text') as HTMLTextAreaElement).value).toBe('Meet at 10');
    expect(bubble().textContent).not.toContain('Not saved yet');
    expect(chat.state.notice).toBe('Could not edit the message: Slow down');
  });
});
