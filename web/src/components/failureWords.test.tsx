/** What a failure says to the person who sent: the server's own words for a fault are meant for its logs, not for them. */
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { flush, openRoomWith } from '../test/renderChat.tsx';
import { bob, message } from '../test/fixtures.ts';

const theirs = message(1, 1, bob, { content: 'Where are the keys?' });

async function sendAnsweredWith(error: ChatError): Promise<HTMLElement> {
  const r = await openRoomWith([theirs]);
  fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Under the mat' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  act(() => r.transport.sent.at(-1)?.reject(error));
  await flush();
  return screen.getByRole('article', { name: 'From You' });
}

describe('why a message was not sent, in the sender’s words', () => {
  it('says a fault on the server is on our side, not "retry with the same clientId"', async () => {
    // The server's exact words when a batch's commit fails (sendBatcher.ts).
    const bubble = await sendAnsweredWith(new ChatError('INTERNAL', 'Message not stored; retry with the same clientId'));
    expect(bubble.textContent).toContain('Not sent: Something went wrong on our side.');
    expect(bubble.textContent).not.toMatch(/clientId/);
  });

  it('says so from the library’s first word of the failure, before the send’s own answer settles it', async () => {
    const r = await openRoomWith([theirs]);
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Under the mat' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    const error = new ChatError('INTERNAL', 'Message not stored; retry with the same clientId');
    act(() => r.transport.emit('send_failed', { roomId: 1, clientId: 'cid-1', error, refused: false, answered: true }));
    await flush();
    expect(screen.getByRole('article', { name: 'From You' }).textContent).toContain('Not sent: Something went wrong on our side.');
  });

  it('keeps the server’s words where they are meant for the user (a closed room)', async () => {
    const bubble = await sendAnsweredWith(new ChatError('ROOM_CLOSED', 'This room is closed'));
    expect(bubble.textContent).toContain('Not sent: This room is closed.');
  });
});
