/**
 * "שרה כהן, דוד לוי and Bob Cleaner are typing…": each name is laid out in its own direction, set
 * apart from the words around it. The line as one left-to-right run took the ", " between two
 * right-to-left names into their run, so the names showed in the wrong order (e2e
 * typingDirection.test.ts sees where they are drawn).
 */
import { act } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { ChatList } from './ChatList.tsx';
import { ChatRoom } from './ChatRoom.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, participant, room } from '../test/fixtures.ts';

const sara: User = { id: 3, username: 'sara', displayName: 'שרה כהן', role: 'cleaner' };
const david: User = { id: 4, username: 'david', displayName: 'דוד לוי', role: 'cleaner' };
const team = room(7, { type: 'general', name: 'Team', job: null, participants: [alice, bob, sara, david].map((u) => participant(u)) });

/** Alice's chat with `typers` typing in room 7; the typing line's text and its names' isolated parts. */
function typingLine(ui: 'list' | 'room', typers: User[]) {
  const { transport, chat } = renderChat(ui === 'list' ? <ChatList /> : <ChatRoom roomId={7} />);
  act(() => transport.emit('ready', { user: alice, rooms: [team], totalUnread: 0 }));
  if (ui === 'room') act(() => chat.openRoom(7));
  for (const t of typers) act(() => transport.emit('typing', { roomId: 7, userId: t.id, username: t.username, isTyping: true }));
  const line = ui === 'list' ? document.querySelector('[data-room-id="7"] .chat-list-preview') : document.querySelector('.typing-indicator');
  return { text: line?.textContent, names: [...(line?.querySelectorAll('[dir="auto"]') ?? [])].map((el) => el.textContent) };
}

describe('who is typing, with right-to-left names', () => {
  it.each(['list', 'room'] as const)('sets each name apart in its own direction (%s)', (ui) => {
    expect(typingLine(ui, [sara, david, bob])).toEqual({ text: 'שרה כהן, דוד לוי and Bob Cleaner are typing…', names: ['שרה כהן', 'דוד לוי', 'Bob Cleaner'] });
  });

  it.each(['list', 'room'] as const)('and one name alone (%s)', (ui) => {
    expect(typingLine(ui, [sara])).toEqual({ text: 'שרה כהן is typing…', names: ['שרה כהן'] });
  });
});
