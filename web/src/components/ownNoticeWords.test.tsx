/**
 * The notice of a job move names its mover ("Status changed to In progress by Alice Client"): to Alice
 * herself it read as if someone else had moved her job. She reads "by you" / "You accepted the job", in
 * the conversation and in the chat list, when the notice's actorId is hers; Bob, and what is stored,
 * keep her name. Names are not unique: support staff named "Alice Client" (in no job room) cancelling
 * her job must not read to her as her own move, so the name in the words never decides it. A notice
 * without an actorId (stored before the server recorded it, or from an older server) shows its words.
 * So does a reply's quote of the notice (another app may answer one): a quote carries no actorId, so
 * it reads "by you" where the notice it quotes is held here, whose actorId says it.
 */
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message, User } from '@ecc/protocol';
import { ChatList } from './ChatList.tsx';
import { ChatRoom } from './ChatRoom.tsx';
import { flush, openRoomWith, renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

/** Support staff with Alice's name, not in the room. */
const namesake: User = { id: 9, username: 'support-alice', displayName: 'Alice Client', role: 'support' };

/** Each stored notice, who moved the job (its actorId; none: not recorded), and what Alice reads of it. */
const READ_BY_ALICE: [stored: string, actorId: number | undefined, shown: string][] = [
  ['Alice Client accepted the job', alice.id, 'You accepted the job'],
  ['Status changed to In progress by Alice Client', alice.id, 'Status changed to In progress by you'],
  // A status a newer server added is read by its words.
  ['Status changed to On hold by Alice Client', alice.id, 'Status changed to On hold by you'],
  // Support staff with her name moved it: theirs, not hers.
  ['Status changed to Cancelled by Alice Client', namesake.id, 'Status changed to Cancelled by Alice Client'],
  ['Status changed to Cancelled by Bob Cleaner', bob.id, 'Status changed to Cancelled by Bob Cleaner'],
  // Stored before the mover was recorded: whose it was is not known, so the words as they are.
  ['Status changed to Completed by Alice Client', undefined, 'Status changed to Completed by Alice Client'],
  ['Alice Client accepted the job', undefined, 'Alice Client accepted the job'],
  // Words a newer server wrote that are not a known notice's: as they are.
  ['Alice Client put the job on hold', alice.id, 'Alice Client put the job on hold'],
];

function notice(seq: number, content: string, actorId: number | undefined): Message {
  return message(1, seq, null, actorId === undefined ? { content } : { content, actorId });
}
const notices = READ_BY_ALICE.map(([stored, actorId], i) => notice(i + 1, stored, actorId));

/** The notices' texts as `me` reads them in room 1's conversation (with Alice and Bob in it). */
async function noticesShown(me: User): Promise<string[]> {
  const r = renderChat(<ChatRoom roomId={1} />);
  r.transport.historyAnswer = () => ({ messages: notices, hasMore: false });
  act(() => r.transport.emit('ready', { user: me, rooms: [room(1, { lastSeq: notices.length, participants: [alice, bob].map((u) => participant(u)) })], totalUnread: 0 }));
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
  const shown = r.container.querySelector('[data-room-id="1"] .chat-list-preview')?.textContent;
  r.unmount();
  return shown;
}

describe('the notice of my own job move', () => {
  it('reads "by you" / "You accepted" in the conversation only where the notice’s mover is me', async () => {
    expect(await noticesShown(alice)).toEqual(READ_BY_ALICE.map(([, , shown]) => shown));
  });

  it('reads so in the chat list’s preview; support staff with my name moving my job do not read as me', () => {
    const words = 'Status changed to Cancelled by Alice Client';
    expect(previewShown(alice, notice(4, words, alice.id))).toBe('Status changed to Cancelled by you');
    expect(previewShown(alice, notice(4, words, namesake.id))).toBe(words);
    expect(previewShown(alice, notice(4, words, undefined))).toBe(words);
  });

  it('keeps the mover’s name for the other person, who reads their own as theirs', async () => {
    expect(await noticesShown(bob)).toEqual(READ_BY_ALICE.map(([stored, actorId]) => (actorId === bob.id ? stored.replace(/by Bob Cleaner$/, 'by you') : stored)));
    expect(previewShown(bob, notice(4, 'Alice Client accepted the job', alice.id))).toBe('Alice Client accepted the job');
  });
});

describe('a reply quoting the notice of my own job move', () => {
  /** Bob's reply (from another app: the web app offers no Reply on a notice) to notice `quoted`, as Alice reads its quote. */
  async function quoteShown(quoted: Message): Promise<string | null | undefined> {
    const reply = message(1, 2, bob, { content: 'Why?', replyTo: { id: quoted.id, seq: quoted.seq, sender: null, excerpt: quoted.content } });
    const r = await openRoomWith([quoted, reply]);
    const bubble = screen.getByRole('article', { name: 'From Bob Cleaner' });
    const shown = within(bubble).getByRole('button', { name: /^Show the original message from System/ }).querySelector('.reply-excerpt')?.textContent;
    r.unmount();
    return shown;
  }

  it('reads "by you" where the notice is mine, as the notice itself does', async () => {
    expect(await quoteShown(notice(1, 'Status changed to Cancelled by Alice Client', alice.id))).toBe('Status changed to Cancelled by you');
  });

  it('keeps the words of a namesake’s, the other person’s, and an unrecorded mover’s notice', async () => {
    expect(await quoteShown(notice(1, 'Status changed to Cancelled by Alice Client', namesake.id))).toBe('Status changed to Cancelled by Alice Client');
    expect(await quoteShown(notice(1, 'Status changed to Cancelled by Bob Cleaner', bob.id))).toBe('Status changed to Cancelled by Bob Cleaner');
    expect(await quoteShown(notice(1, 'Alice Client accepted the job', undefined))).toBe('Alice Client accepted the job');
  });
});
