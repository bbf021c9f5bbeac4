/** Renders UI inside a ChatProvider over a fake transport, with a fixed viewport for react-virtuoso in jsdom. */
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { ChatError, type Message } from '@ecc/protocol';
import { ChatProvider } from '../chat/ChatContext.tsx';
import { ChatRoom } from '../components/ChatRoom.tsx';
import { alice, bob, message, room } from './fixtures.ts';
import { fakeChat, type FakeTransport } from './fakeTransport.ts';
import type { OtherTabs } from '../chat/otherTabs.ts';

export function renderChat(ui: ReactNode, tabs: OtherTabs | null = null) {
  const { transport, env, uploader, chat } = fakeChat(tabs);
  const result = render(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 2000, itemHeight: 40 }}>
      <ChatProvider controller={chat}>{ui}</ChatProvider>
    </VirtuosoMockContext.Provider>,
  );
  return { ...result, chat, transport, env, uploader };
}

/** Lets pending promises and zero-delay timers settle, inside act. */
export const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));

/** Alice signed in with room 1 open, its history `messages` (by default one from Bob and her answer). */
export async function openRoomWith(messages = [message(1, 1, bob, { content: 'Hello Alice' }), message(1, 2, alice, { content: 'Hi Bob' })]) {
  const r = renderChat(<ChatRoom roomId={1} />);
  r.transport.historyAnswer = () => ({ messages, hasMore: false });
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: messages.length })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  return r;
}

/** Alice signed in with room 1, empty, open. */
export async function openEmptyRoom() {
  const r = renderChat(<ChatRoom roomId={1} />);
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  return r;
}

/** Alice signed in with room 1 open, holding her message `mine`, and the connection then lost (the library holds what is sent). */
export async function openRoomOffline(mine: Message, tabs: OtherTabs | null = null) {
  const r = renderChat(<ChatRoom roomId={1} />, tabs);
  r.transport.historyAnswer = () => ({ messages: [mine], hasMore: false });
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: mine.seq })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  act(() => r.transport.emit('state', { state: 'reconnecting', attempt: 1 }));
  return r;
}

/** Sends `text` from the open room's message box and has the server refuse it: a "Not sent" bubble. */
export async function sendRefused(transport: FakeTransport, text: string): Promise<void> {
  fireEvent.change(screen.getByLabelText('Message'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  act(() => transport.sent.at(-1)?.reject(new ChatError('RATE_LIMITED', 'Too many messages')));
  await flush();
}
