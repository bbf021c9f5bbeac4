/**
 * My own messages are never unread (the contract counts them apart), and the server's read mark
 * does not move for them: this tab reads them through for me, from their sender, so nothing that
 * follows from my read mark takes them for something I have still to read.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '@ecc/protocol';
import { roomMessagesOf } from './store.ts';
import { firstNewSeq } from './unreadMarker.ts';
import { fakeChat } from '../test/fakeTransport.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

/** Alice, with room 1 read up to Bob's seq `readUpTo` (its newest unless `extra` says more). */
function aliceIn(readUpTo: number, extra: Parameters<typeof room>[1] = {}) {
  const { chat, transport, env } = fakeChat();
  const participants = [participant(alice, { lastReadSeq: readUpTo }), participant(bob, { lastReadSeq: readUpTo })];
  transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: readUpTo, participants, ...extra }), room(2)], totalUnread: 0 });
  return { chat, transport, env };
}

/** The room open and in view, its newest shown: whatever is new in it is read at once. */
async function watching(chat: ReturnType<typeof fakeChat>['chat']) {
  chat.openRoom(1);
  chat.setAtLatest(true);
  await flush();
}

/** Leaves the tab and comes back: a tab shown again reads the room it shows. */
function awayAndBack(env: ReturnType<typeof fakeChat>['env']) {
  env.setVisible(false);
  env.setVisible(true);
}

describe('my own messages, read for me', () => {
  it('asks the server to read nothing after my message is stored (its ack)', async () => {
    const { chat, transport, env } = aliceIn(4);
    await watching(chat);
    chat.sendMessage(1, 'See you at 2');
    transport.sent[0]?.resolve(message(1, 5, alice, { clientId: 'cid-1', content: 'See you at 2' }));
    await flush();
    awayAndBack(env);
    chat.setAtLatest(true);
    expect(transport.reads).toEqual([]);
  });

  it('asks the server to read nothing for my message from my other tab or my phone', async () => {
    const { chat, transport, env } = aliceIn(4);
    await watching(chat);
    transport.emit('message', { message: message(1, 5, alice, { content: 'Sent from my phone' }) });
    awayAndBack(env);
    expect(transport.reads).toEqual([]);
  });

  it('asks the server to read nothing when the room, reloaded, ends with my own message', async () => {
    const mine = message(1, 5, alice, { content: 'See you at 2' });
    const { chat, transport } = aliceIn(4, { lastSeq: 5, lastMessage: mine });
    transport.historyAnswer = () => ({ messages: [message(1, 4, bob), mine], hasMore: false });
    await watching(chat);
    expect(transport.reads).toEqual([]);
  });

  it('asks the server to read nothing after a reconnect for my messages this tab holds', async () => {
    const { chat, transport } = aliceIn(4);
    await watching(chat);
    transport.emit('message', { message: message(1, 5, alice) });
    transport.emit('message', { message: message(1, 6, alice) });
    // Back after a drop: the server's mark is still 4 (mine move none), the newest is my seq 6.
    const participants = [participant(alice, { lastReadSeq: 4 }), participant(bob, { lastReadSeq: 6 })];
    transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 6, lastMessage: message(1, 6, alice), participants }), room(2)], totalUnread: 0 });
    await flush();
    expect(transport.reads).toEqual([]);
  });

  it('keeps my message read when the room changes (a `room` frame carries the server\'s mark, below it)', async () => {
    const { chat, transport, env } = aliceIn(4);
    await watching(chat);
    transport.emit('message', { message: message(1, 5, alice) });
    const started = room(1, {
      lastSeq: 5,
      job: { id: 1, title: 'Deep clean', status: 'in_progress' },
      participants: [participant(alice, { lastReadSeq: 4 }), participant(bob, { lastReadSeq: 5 })],
    });
    transport.emit('room', { room: started });
    awayAndBack(env);
    expect(transport.reads).toEqual([]);
  });

  it("still leaves someone else's message before mine unread, and puts the line above it", () => {
    const { chat, transport } = aliceIn(4);
    transport.emit('message', { message: message(1, 5, bob, { content: 'Gate code?' }) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    transport.emit('message', { message: message(1, 6, alice, { content: 'Answered on my phone' }) });
    chat.openRoom(1);
    expect(chat.state.unreadMarker).toMatchObject({ afterSeq: 4, unread: 1 });
    expect(firstNewSeq(roomMessagesOf(chat.state, 1).messages, chat.state.unreadMarker, 1, alice.id)).toBe(5);
  });

  it("opens at the other person's answer without loading older pages for my own messages above it", async () => {
    // Room 1 holds Bob's 1–100, read. From my phone I wrote 35 messages (101–135), which reach this
    // tab live; then Bob answered (136).
    const { chat, transport } = aliceIn(100);
    const all: Message[] = Array.from({ length: 100 }, (_, i) => message(1, i + 1, bob));
    for (let seq = 101; seq <= 135; seq++) {
      const mine = message(1, seq, alice, { content: `photo ${seq}` });
      all.push(mine);
      transport.emit('message', { message: mine });
    }
    const answer = message(1, 136, bob, { content: 'Looks great, thanks!' });
    all.push(answer);
    transport.emit('message', { message: answer });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    transport.historyAnswer = (q) => {
      const below = all.filter((m) => q.beforeSeq === undefined || m.seq < q.beforeSeq);
      return { messages: below.slice(-50), hasMore: below.length > 50 };
    };
    chat.openRoom(1);
    await flush();
    // The latest page (87–136) holds the line and twenty of my messages above it.
    expect(transport.historyCalls).toHaveLength(1);
    expect(firstNewSeq(roomMessagesOf(chat.state, 1).messages, chat.state.unreadMarker, 1, alice.id)).toBe(136);
  });
});
