/** An edit being typed while its message is edited in another tab or on another device. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatRoom } from './ChatRoom.tsx';
import { renderChat, flush } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';

const mine = message(1, 2, alice, { content: 'Hi Bob' });

/** Alice's room with her message "Hi Bob", its edit open with `typed` in the box. */
async function editing(typed: string) {
  const r = renderChat(<ChatRoom roomId={1} />);
  r.transport.historyAnswer = () => ({ messages: [message(1, 1, bob, { content: 'Hello Alice' }), mine], hasMore: false });
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 2 })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  fireEvent.click(within(screen.getByRole('article', { name: 'From You' })).getByRole('button', { name: 'Edit' }));
  fireEvent.change(screen.getByLabelText('Edit text'), { target: { value: typed } });
  return r;
}

function editedElsewhere(content: string) {
  return { message: { ...mine, content, editedAt: '2026-11-25T11:00:00.000Z' } };
}

describe('the message being edited is edited elsewhere meanwhile', () => {
  it('says so under the box with what it says now, keeps the text typed, and saves it only when the user chooses to', async () => {
    const r = await editing('Hi Bob, the code is 4711');
    expect(screen.queryByText(/Changed elsewhere/)).toBeNull();
    act(() => r.transport.emit('message_updated', editedElsewhere('Hi Bob, see you at 9')));
    const box = screen.getByLabelText('Edit text') as HTMLTextAreaElement;
    expect(box.value).toBe('Hi Bob, the code is 4711');
    const note = screen.getByText(/Changed elsewhere/);
    expect(note.getAttribute('role')).toBe('status');
    expect(note.textContent).toBe('Changed elsewhere while you were editing. It now says: Hi Bob, see you at 9 Saving replaces it with your text.');
    // A screen reader reading the box hears it too.
    expect(box.getAttribute('aria-describedby')).toContain(note.id);
    expect(r.transport.edits).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(r.transport.edits).toEqual([{ messageId: mine.id, content: 'Hi Bob, the code is 4711' }]);
  });

  it('keeps saying so when the edit is brought back refused, and not once the box says the same as the message', async () => {
    const r = await editing('Hi Bob, the code is 4711');
    act(() => r.transport.emit('message_updated', editedElsewhere('Hi Bob, see you at 9')));
    fireEvent.change(screen.getByLabelText('Edit text'), { target: { value: 'Hi Bob, see you at 9 ' } });
    expect(screen.queryByText(/Changed elsewhere/)).toBeNull();
    fireEvent.change(screen.getByLabelText('Edit text'), { target: { value: 'Hi Bob, see you at 10' } });
    r.transport.editError = new Error('offline');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await flush();
    expect((screen.getByLabelText('Edit text') as HTMLTextAreaElement).value).toBe('Hi Bob, see you at 10');
    expect(screen.getByText(/Changed elsewhere/).textContent).toContain('Hi Bob, see you at 9');
  });

  it('says nothing for an edit of mine saved from this box, nor for a change back to the text it began from', async () => {
    const r = await editing('Hi Bob, the code is 4711');
    act(() => r.transport.emit('message_updated', editedElsewhere('Hi Bob, see you at 9')));
    act(() => r.transport.emit('message_updated', editedElsewhere('Hi Bob')));
    expect(screen.queryByText(/Changed elsewhere/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    act(() => r.transport.emit('message_updated', editedElsewhere('Hi Bob, the code is 4711')));
    fireEvent.click(within(screen.getByRole('article', { name: 'From You' })).getByRole('button', { name: 'Edit' }));
    expect(screen.queryByText(/Changed elsewhere/)).toBeNull();
  });
});
