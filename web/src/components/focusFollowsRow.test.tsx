/**
 * The focused message's element taken out and drawn anew, with no blur said for it (Firefox fires none
 * for an element removed; jsdom neither): the focus follows the message, not left on <body>.
 */
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { flush, openRoomWith } from '../test/renderChat.tsx';
import { alice, bob, message } from '../test/fixtures.ts';

describe('the focus on a message whose row is drawn anew', () => {
  it('follows my message from "Sending…" to stored, though no blur was fired', async () => {
    const { transport, chat } = await openRoomWith([message(1, 1, bob, { content: 'Where are the keys?' })]);
    act(() => chat.sendMessage(1, 'Under the mat'));
    const sending = screen.getByRole('article', { name: 'From You' });
    act(() => sending.focus());
    expect(sending.textContent).toContain('Sending…');

    act(() => transport.sent[0]?.resolve(message(1, 2, alice, { clientId: 'cid-1', content: 'Under the mat' })));
    await flush();
    const stored = screen.getByRole('article', { name: 'From You' });
    expect(stored).not.toBe(sending);
    expect(stored.textContent).not.toContain('Sending…');
    await waitFor(() => expect(document.activeElement).toBe(stored));
    // It is the conversation's Tab stop again.
    await waitFor(() => expect(stored.tabIndex).toBe(0));
  });
});
