/**
 * Keyboard use of the chat panel: when the control that held focus goes away
 * (leaving a room, saving an edit, answering "Confirm delete"), focus lands
 * somewhere sensible instead of on <body>, and Escape undoes the innermost thing.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { FloatingChatPanel } from './FloatingChatPanel.tsx';
import { useChat } from '../chat/ChatContext.tsx';
import { renderChat, flush, sendRefused } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';


async function panelInRoom() {
  const r = renderChat(<FloatingChatPanel />);
  r.transport.historyAnswer = () => ({ messages: [message(1, 1, bob, { content: 'Hello Alice' }), message(1, 2, alice, { content: 'Hi Bob' })], hasMore: false });
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 2 }), room(2)], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  return r;
}

/** A job card's "Open chat": it opens the room straight away, whose message box takes the focus. */
function OpenChatButton() {
  const chat = useChat();
  return (
    <button type="button" onClick={() => chat.openRoom(1)}>
      Open chat
    </button>
  );
}

function myMessage() {
  return within(screen.getByRole('log', { name: 'Conversation' })).getByRole('article', { name: 'From You' });
}

describe('keyboard focus in the chat panel', () => {
  it('puts focus on the room just left when going back to the list', async () => {
    await panelInRoom();
    const back = screen.getByRole('button', { name: 'Back to conversations' });
    back.focus();
    fireEvent.click(back);
    expect(document.activeElement?.textContent).toContain('Job #1');
    expect(document.activeElement?.tagName).toBe('BUTTON');
  });

  it('returns focus to Edit after saving an edit', async () => {
    await panelInRoom();
    fireEvent.click(within(myMessage()).getByRole('button', { name: 'Edit' }));
    const box = screen.getByLabelText('Edit text');
    expect(document.activeElement).toBe(box);
    fireEvent.change(box, { target: { value: 'Hi Bob!' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(document.activeElement).toBe(within(myMessage()).getByRole('button', { name: 'Edit' }));
  });

  it('focuses "Confirm delete", lets Escape keep the message (panel open), and focuses the message once deleted', async () => {
    const { transport, chat } = await panelInRoom();
    fireEvent.click(within(myMessage()).getByRole('button', { name: 'Delete' }));
    const confirm = within(myMessage()).getByRole('button', { name: 'Confirm delete' });
    expect(document.activeElement).toBe(confirm);
    fireEvent.keyDown(confirm, { key: 'Escape' });
    expect(chat.state.panelOpen).toBe(true);
    expect(document.activeElement).toBe(within(myMessage()).getByRole('button', { name: 'Delete' }));

    fireEvent.click(within(myMessage()).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(myMessage()).getByRole('button', { name: 'Confirm delete' }));
    act(() => transport.emit('message_updated', { message: message(1, 2, alice, { content: '', deletedAt: new Date().toISOString() }) }));
    expect(document.activeElement).toBe(myMessage());
    expect(myMessage().textContent).toContain('This message was deleted');
  });

  it('returns focus to "Open chat" when the panel it opened straight into a room closes', async () => {
    const r = renderChat(
      <>
        <OpenChatButton />
        <FloatingChatPanel />
      </>,
    );
    act(() => r.transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 }));
    const opener = screen.getByRole('button', { name: 'Open chat' });
    opener.focus();
    fireEvent.click(opener);
    await flush();
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));
    fireEvent.keyDown(screen.getByLabelText('Message'), { key: 'Escape' });
    expect(r.chat.state.panelOpen).toBe(false);
    expect(document.activeElement).toBe(opener);
  });

  it('Escape in the message box drops the reply first, and closes the panel only the second time', async () => {
    const { chat } = await panelInRoom();
    fireEvent.click(screen.getByRole('button', { name: 'Reply to Bob Cleaner' }));
    const box = screen.getByLabelText('Message');
    expect(document.activeElement).toBe(box);
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByText(/Replying to/)).toBeNull();
    expect(chat.state.panelOpen).toBe(true);
    fireEvent.keyDown(screen.getByLabelText('Message'), { key: 'Escape' });
    expect(chat.state.panelOpen).toBe(false);
  });

  it('moves focus to the message box after Retry or Discard, whose buttons go away', async () => {
    const { transport } = await panelInRoom();
    for (const [text, action] of [
      ['Retry me', 'Retry'],
      ['Discard me', 'Confirm discard'],
    ] as const) {
      await sendRefused(transport, text);
      if (action === 'Confirm discard') fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
      const button = screen.getByRole('button', { name: action });
      button.focus();
      fireEvent.click(button);
      expect(document.activeElement).toBe(screen.getByLabelText('Message'));
    }
  });

  it('moves focus to the conversation after Discard in a closed room, which has no message box', async () => {
    const { transport } = await panelInRoom();
    await sendRefused(transport, 'I have your keys');
    act(() => transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) }));
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    const discard = screen.getByRole('button', { name: 'Confirm discard' });
    discard.focus();
    fireEvent.click(discard);
    const conversation = screen.getByRole('log', { name: 'Conversation' });
    expect(document.activeElement).toBe(conversation);
    expect(conversation.tabIndex).toBe(0);
  });

  it('after Discard in a closed room, hands the focus on from the conversation to the newest message in view', async () => {
    const { transport } = await panelInRoom();
    await sendRefused(transport, 'I have your keys');
    act(() => transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) }));
    // jsdom lays nothing out: every box the same, all in view.
    const boxes = vi.spyOn(Element.prototype, 'getBoundingClientRect').mockReturnValue(DOMRect.fromRect({ x: 0, y: 0, width: 300, height: 100 }));
    try {
      fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
      const discard = screen.getByRole('button', { name: 'Confirm discard' });
      discard.focus();
      fireEvent.click(discard);
      const articles = within(screen.getByRole('log', { name: 'Conversation' })).getAllByRole('article');
      await waitFor(() => expect(document.activeElement).toBe(articles.at(-1)));
    } finally {
      boxes.mockRestore();
    }
  });

  it('asks before Discard: the question takes the focus, Escape takes it back and focus returns to Discard', async () => {
    const { transport } = await panelInRoom();
    await sendRefused(transport, 'Wrong room');
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Confirm discard' }));
    fireEvent.keyDown(screen.getByRole('button', { name: 'Confirm discard' }), { key: 'Escape' });
    expect(screen.queryByRole('button', { name: 'Confirm discard' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Discard' }));
    expect(screen.getByRole('log').textContent).toContain('Wrong room');
  });

  it('drops the Discard question when the message goes on the socket meanwhile: focus to the box, and a later refusal asks nothing by itself', async () => {
    const { transport } = await panelInRoom();
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Wrong room' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Confirm discard' }));

    // The socket is back before the answer: the message is written, it may be stored, so no Discard.
    act(() => transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 2 }), room(2)], totalUnread: 0 }));
    await flush();
    expect(screen.queryByRole('button', { name: 'Confirm discard' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));

    // Refused by the server after all (nothing stored): Discard is offered again, the question is not.
    act(() => transport.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Too many messages')));
    await flush();
    expect(screen.getByRole('button', { name: 'Discard' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Confirm discard' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));
  });

  it('leaves an Escape that drops an input method\'s word to it: the edit, the reply and the panel stay', async () => {
    const { chat } = await panelInRoom();
    act(() => chat.togglePanel(true));
    fireEvent.click(within(myMessage()).getByRole('button', { name: 'Edit' }));
    const edit = screen.getByLabelText('Edit text');
    fireEvent.change(edit, { target: { value: 'こんばんは' } });
    // Chrome marks the key isComposing; Safari gives keyCode 229.
    fireEvent.keyDown(edit, { key: 'Escape', isComposing: true });
    fireEvent.keyDown(edit, { key: 'Escape', keyCode: 229 });
    expect(screen.getByLabelText('Edit text')).toBeTruthy();
    expect(chat.state.panelOpen).toBe(true);
    fireEvent.keyDown(edit, { key: 'Escape' });
    expect(screen.queryByLabelText('Edit text')).toBeNull();

    const box = screen.getByLabelText('Message');
    fireEvent.keyDown(box, { key: 'Escape', isComposing: true });
    expect(chat.state.panelOpen).toBe(true);
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(chat.state.panelOpen).toBe(false);
  });
});
