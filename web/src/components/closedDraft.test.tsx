/**
 * A room that closes (its job completed or cancelled, the grace passed) while a message is being typed:
 * Send was never pressed, so the notice speaks of a draft not sent, not of a message that came too late.
 */
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openRoomWith as openRoom } from '../test/renderChat.tsx';
import { room } from '../test/fixtures.ts';

describe('a draft in a chat that closes', () => {
  it('says the draft was not sent, and keeps it to copy', async () => {
    const r = await openRoom();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Could you also do the balcony?' } });
    act(() => r.transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) }));
    expect(r.transport.sent).toHaveLength(0);
    expect(screen.getByText('This chat closed; your draft was not sent. You can still read the conversation.')).toBeTruthy();
    expect(screen.queryByText(/before your message was sent/)).toBeNull();
    expect((screen.getByLabelText(/Not sent/) as HTMLTextAreaElement).value).toBe('Could you also do the balcony?');
  });
});
