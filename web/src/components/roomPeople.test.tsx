/**
 * Who is in a room, as its header tells: once support staff join a job's chat it holds three people,
 * and the header named only the first other one ("Bob Cleaner" to Alice, "Alice Client" to the agent).
 */
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Room, User } from '@ecc/protocol';
import { ChatRoom } from './ChatRoom.tsx';
import { ChatList } from './ChatList.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob, participant, room } from '../test/fixtures.ts';

const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
// As the server lists them after the join: the agent may come first.
const joined = room(1, { participants: [participant(sam), participant(alice), participant(bob, { online: true })] });

async function showRoom(me: User, r: Room) {
  const rendered = renderChat(<ChatRoom roomId={r.id} />);
  rendered.transport.historyAnswer = () => ({ messages: [], hasMore: false });
  act(() => rendered.transport.emit('ready', { user: me, rooms: [r], totalUnread: 0 }));
  act(() => rendered.chat.openRoom(r.id));
  await flush();
  return rendered;
}

const facts = () => screen.getByRole('banner').querySelector('.chat-room-facts')?.textContent;

describe("a room's header, with support staff joined", () => {
  it('tells the client her cleaner and the agent, with her cleaner\'s presence', async () => {
    await showRoom(alice, joined);
    // Named: a bare "· Online" after the two names read as Sam's.
    expect(facts()).toBe('Bob Cleaner, Sam Support (support)Bob Cleaner: OnlineAssigned');
  });

  it('tells the agent the client and the cleaner, the client first, and whether each is online', async () => {
    await showRoom(sam, joined);
    // The "·" between the two is drawn by the stylesheet, only where they share a line.
    expect(facts()).toBe('Alice Client, Bob CleanerAlice Client: Offline Bob Cleaner: OnlineAssigned');
  });

  it('names each person in their own direction', async () => {
    await showRoom(alice, joined);
    const names = [...(screen.getByRole('banner').querySelectorAll('.chat-room-other [dir="auto"]') ?? [])].map((el) => el.textContent);
    expect(names).toEqual(['Bob Cleaner', 'Sam Support']);
  });

  it('still names only the other person in a room of two', async () => {
    await showRoom(alice, room(1));
    expect(facts()).toBe('Bob Cleaner·OfflineAssigned');
  });
});

describe("a big room's header", () => {
  it('names the first few people and counts the rest, rather than a line per member', async () => {
    const members = Array.from({ length: 99 }, (_, i) => participant({ id: 10 + i, username: `m${i}`, displayName: `Member ${i}`, role: 'client' }));
    await showRoom(alice, room(1, { type: 'general', name: 'Team', job: null, participants: [participant(alice), ...members] }));
    const names = [...screen.getByRole('banner').querySelectorAll('.chat-room-other [dir="auto"]')].map((el) => el.textContent);
    expect(names).toEqual(['Member 0', 'Member 1', 'Member 2']);
    expect(facts()).toContain('and 96 others');
  });
});

describe("a support room's header, with a second agent joined", () => {
  it("tells the agent the user's role beside the user's name, not after the fellow agent's", async () => {
    const ann: User = { id: 6, username: 'support2', displayName: 'Ann Agent', role: 'support' };
    const support = room(9, { type: 'support', name: 'Support · Alice Client', job: null, participants: [participant(ann), participant(alice), participant(sam)] });
    await showRoom(sam, support);
    expect(screen.getByText('Client', { exact: true }).closest('.person')?.textContent).toBe('Alice ClientClient,');
    expect(facts()).toMatch(/^Alice ClientClient, Ann AgentAlice Client: /);
  });
});

describe('the chat list row of a joined job room', () => {
  it("speaks of the agent's primary person: the client, not whoever the server listed first", async () => {
    const r = renderChat(<ChatList />);
    act(() => r.transport.emit('ready', { user: sam, rooms: [{ ...joined, participants: [participant(sam), participant(bob, { online: true }), participant(alice)] }], totalUnread: 0 }));
    await flush();
    expect(screen.getByText('Alice Client is offline')).toBeTruthy();
  });
});
