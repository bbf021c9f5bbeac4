/**
 * The notice of a job move names its mover ("Status changed to In progress by Alice Client"): to Alice
 * herself it read as if someone else had moved her job. She reads "by you" / "You accepted the job", in
 * the conversation and in the chat list; Bob, and what is stored, keep her name.
 */
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message, User } from '@ecc/protocol';
import { ChatList } from './ChatList.tsx';
import { ChatRoom } from './ChatRoom.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

/** Each stored notice, and what Alice reads of it. */
const READ_BY_ALICE: [stored: string, shown: string][] = [
  ['Alice Client accepted the job', 'You accepted the job'],
  ['Status changed to In progress by Alice Client', 'Status changed to In progress by you'],
  // A status a newer server added is read by its words.
  ['Status changed to On hold by Alice Client', 'Status changed to On hold by you'],
  // Someone whose name begins with hers, or who moved it: theirs.
  ['Status changed to Completed by Alice Clientele', 'Status changed to Completed by Alice Clientele'],
  ['Alice Clientele accepted the job', 'Alice Clientele accepted the job'],
  ['Status changed to Cancelled by Bob Cleaner', 'Status changed to Cancelled by Bob Cleaner'],
  ['Sam Support will help you here. Alice Client accepted the job', 'Sam Support will help you here. Alice Client accepted the job'],
];
const notices = READ_BY_ALICE.map(([stored], i) => message(1, i + 1, null, { content: stored }));

/** The notices' texts as `me` reads them in room 1's conversation (`others`: the other participants). */
async function noticesShown(me: User, others: User[] = [me === alice ? bob : alice]): Promise<string[]> {
  const r = renderChat(<ChatRoom roomId={1} />);
  r.transport.historyAnswer = () => ({ messages: notices, hasMore: false });
  act(() => r.transport.emit('ready', { user: me, rooms: [room(1, { lastSeq: notices.length, participants: [me, ...others].map((u) => participant(u)) })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  const log = screen.getByRole('log', { name: 'Conversation' });
  return within(log)
    .getAllByRole('article', { name: 'System notice' })
    .map((n) => n.textContent?.split(' · ')[0] ?? '');
}

/** The chat list row's preview of room 1 as `me` reads it, its last message `last`. */
function previewShown(me: User, last: Message): string | null | undefined {
  const r = renderChat(<ChatList />);
  act(() => r.transport.emit('ready', { user: me, rooms: [room(1, { lastSeq: last.seq, lastMessage: last })], totalUnread: 0 }));
  return document.querySelector('[data-room-id="1"] .chat-list-preview')?.textContent;
}

describe('the notice of my own job move', () => {
  it('reads "by you" / "You accepted" in the conversation, only where the notice names me', async () => {
    expect(await noticesShown(alice)).toEqual(READ_BY_ALICE.map(([, shown]) => shown));
  });

  it('reads so in the chat list’s preview', () => {
    expect(previewShown(alice, message(1, 4, null, { content: 'Status changed to In progress by Alice Client' }))).toBe('Status changed to In progress by you');
  });

  it('keeps the mover’s name for the other person, who reads their own as theirs', async () => {
    expect(await noticesShown(bob)).toEqual(READ_BY_ALICE.map(([stored]) => stored.replace(/by Bob Cleaner$/, 'by you')));
    expect(previewShown(bob, message(1, 4, null, { content: 'Alice Client accepted the job' }))).toBe('Alice Client accepted the job');
  });

  it('keeps the name when another participant has the same one: whose move it was cannot be told', async () => {
    const namesake: User = { id: 9, username: 'alice2', displayName: 'Alice Client', role: 'cleaner' };
    expect(await noticesShown(alice, [namesake])).toEqual(READ_BY_ALICE.map(([stored]) => stored));
  });
});
