/** Finding a conversation in a long chat list by typing in its search box. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { FloatingChatPanel } from './FloatingChatPanel.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { message, participant, room } from '../test/fixtures.ts';

const sam: User = { id: 4, username: 'support1', displayName: 'Sam Support', role: 'support' };
const NAMES = ['Zoë Martin', 'Bruno Díaz', 'Chloé Dubois', 'Anna Lee', 'Zoe Park', 'Omar Haddad', 'Kim Ng', 'Lea Roth', 'Ivan Petrov', 'Mia Zoellner'];

/** Sam, a support agent, with a support room per client; the last of NAMES most recently active. */
function clientOf(i: number): User {
  return { id: 100 + i, username: `client${100 + i}`, displayName: NAMES[i]!, role: 'client' };
}
function supportRoom(i: number) {
  return room(i + 1, { type: 'support', job: null, name: `Support · ${NAMES[i]}`, participants: [participant(clientOf(i)), participant(sam)] });
}

async function agentWithRooms(count = NAMES.length) {
  const r = renderChat(<FloatingChatPanel />);
  act(() => r.transport.emit('ready', { user: sam, rooms: NAMES.slice(0, count).map((_, i) => supportRoom(i)), totalUnread: 0 }));
  act(() => r.chat.togglePanel(true));
  await flush();
  return r;
}

const searchBox = () => screen.getByRole('searchbox', { name: 'Search conversations' });
const type = (text: string) => fireEvent.change(searchBox(), { target: { value: text } });
const shownNames = () =>
  within(screen.getByRole('list', { name: 'Conversations' }))
    .queryAllByRole('listitem')
    .map((li) => li.querySelector('.chat-list-name')?.textContent);
const focusedRoomId = () => document.activeElement?.getAttribute('data-room-id');

describe('searching the chat list', () => {
  it('narrows the list as you type, ignoring accents and case, most recently active first, each word in any field', async () => {
    await agentWithRooms();
    type('zoe');
    expect(shownNames()).toEqual(['Support · Mia Zoellner', 'Support · Zoe Park', 'Support · Zoë Martin']);
    expect(within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('listitem')[0]?.getAttribute('aria-setsize')).toBe('3');
    expect(screen.getByRole('status').textContent).toBe('3 conversations');
    type('CHLOE');
    expect(shownNames()).toEqual(['Support · Chloé Dubois']);
    type('client102');
    expect(shownNames()).toEqual(['Support · Chloé Dubois']);
    type('zoe park');
    expect(shownNames()).toEqual(['Support · Zoe Park']);
  });

  it('marks in each name what was typed, as written there, and nothing once the search is cleared', async () => {
    await agentWithRooms();
    const marks = () => [...document.querySelectorAll('.chat-list-name mark')].map((m) => m.textContent);
    type('zoe');
    expect(marks()).toEqual(['Zoe', 'Zoe', 'Zoë']);
    type('');
    expect(marks()).toEqual([]);
    expect(shownNames()).toHaveLength(NAMES.length);
  });

  it('moves a matching room up when a message arrives, and drops a room that stops matching', async () => {
    const { transport } = await agentWithRooms();
    type('zoe');
    act(() => transport.emit('message', { message: message(1, 1, clientOf(0), { content: 'Hello?', createdAt: '2030-01-01T00:00:00.000Z' }) }));
    expect(shownNames()).toEqual(['Support · Zoë Martin', 'Support · Mia Zoellner', 'Support · Zoe Park']);
    act(() => transport.emit('room', { room: { ...supportRoom(4), name: 'Support · Z. Park', participants: [participant({ ...clientOf(4), displayName: 'Z. Park' }), participant(sam)] } }));
    expect(shownNames()).toEqual(['Support · Zoë Martin', 'Support · Mia Zoellner']);
  });

  it('says when nothing matches, with a way back to all rooms; the × (Clear search) clears too and gives the box the focus', async () => {
    await agentWithRooms();
    type('nobody here');
    expect(screen.queryByRole('list', { name: 'Conversations' })).toBeNull();
    expect(screen.getByText('No conversations match “nobody here”')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('No conversations match');
    fireEvent.click(screen.getByRole('button', { name: 'Show all conversations' }));
    expect(shownNames()).toHaveLength(NAMES.length);
    expect((searchBox() as HTMLInputElement).value).toBe('');
    expect(document.activeElement).toBe(searchBox());

    type('anna');
    fireEvent.click(screen.getByRole('button', { name: 'Clear search' }));
    expect((searchBox() as HTMLInputElement).value).toBe('');
    expect(document.activeElement).toBe(searchBox());
  });

  it('clears the search on the first Escape and closes the panel on the second', async () => {
    const { chat } = await agentWithRooms();
    type('zoe');
    searchBox().focus();
    fireEvent.keyDown(searchBox(), { key: 'Escape' });
    expect((searchBox() as HTMLInputElement).value).toBe('');
    expect(chat.state.panelOpen).toBe(true);
    fireEvent.keyDown(searchBox(), { key: 'Escape' });
    expect(chat.state.panelOpen).toBe(false);
  });

  it('keeps the search while a room is opened and left, and forgets it when the panel closes', async () => {
    const { chat } = await agentWithRooms();
    type('zoe');
    fireEvent.click(within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('button')[1]!);
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Back to conversations' }));
    expect((searchBox() as HTMLInputElement).value).toBe('zoe');
    expect(shownNames()).toHaveLength(3);
    act(() => chat.togglePanel(false));
    act(() => chat.togglePanel(true));
    expect((searchBox() as HTMLInputElement).value).toBe('');
    expect(shownNames()).toHaveLength(NAMES.length);
  });

  it('goes from the box to the first match with Down, through the matches with the arrows, and back up to the box', async () => {
    await agentWithRooms();
    type('zoe');
    searchBox().focus();
    fireEvent.keyDown(searchBox(), { key: 'ArrowDown' });
    expect(focusedRoomId()).toBe('10');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(focusedRoomId()).toBe('5');
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(focusedRoomId()).toBe('1');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(focusedRoomId()).toBe('10');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(searchBox());
  });

  it('opens the first match with Enter, but not with the Enter that confirms an input method\'s word (Safari: keyCode 229)', async () => {
    const { chat } = await agentWithRooms();
    type('chloe');
    fireEvent.keyDown(searchBox(), { key: 'Enter', isComposing: true });
    fireEvent.keyDown(searchBox(), { key: 'Enter', keyCode: 229 });
    expect(chat.state.activeRoomId).toBeNull();
    fireEvent.keyDown(searchBox(), { key: 'Enter' });
    expect(chat.state.activeRoomId).toBe(3);
  });

  it('is not offered for a handful of rooms (under 8)', async () => {
    await agentWithRooms(7);
    expect(screen.queryByRole('searchbox')).toBeNull();
    expect(shownNames()).toHaveLength(7);
  });
});
