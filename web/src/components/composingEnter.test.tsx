/** Typing Japanese, Chinese or Korean: the Enter that confirms a word is not the Enter that sends. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatRoom } from './ChatRoom.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, message, room } from '../test/fixtures.ts';

async function openRoom() {
  const r = renderChat(<ChatRoom roomId={1} />);
  r.transport.historyAnswer = () => ({ messages: [message(1, 1, alice, { content: 'こんにちは' })], hasMore: false });
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 1 })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  return r;
}

describe('Enter while an input method composes', () => {
  it('confirms the word instead of sending the message (Chrome marks it isComposing, Safari keyCode 229)', async () => {
    const { transport } = await openRoom();
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: '明日は' } });
    fireEvent.keyDown(box, { key: 'Enter', isComposing: true });
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 229 });
    expect(transport.sent).toHaveLength(0);
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 13 });
    expect(transport.sent[0]?.input.content).toBe('明日は');
  });

  it("labels a phone keyboard's Enter key Send, which is what it does here", async () => {
    await openRoom();
    expect(screen.getByLabelText('Message').getAttribute('enterkeyhint')).toBe('send');
  });

  it('confirms the word instead of saving an edit', async () => {
    const { transport } = await openRoom();
    fireEvent.click(within(screen.getByRole('article', { name: 'From You' })).getByRole('button', { name: 'Edit' }));
    const box = screen.getByLabelText('Edit text');
    fireEvent.change(box, { target: { value: 'こんばんは' } });
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 229 });
    expect(transport.edits).toEqual([]);
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 13 });
    expect(transport.edits[0]?.content).toBe('こんばんは');
  });
});
