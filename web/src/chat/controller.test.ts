import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { HttpChatError } from '@ecc/client';
import { ATTACHMENT_RULES } from './attachments.ts';
import { NOTIFY_DELAY_MS } from './newMessageNotification.ts';
import { draftOf, roomMessagesOf } from './store.ts';
import { fakeChat } from '../test/fakeTransport.ts';
import { alice, bob, message, room } from '../test/fixtures.ts';

function setup() {
  const { transport, env, uploader, chat } = fakeChat();
  transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 2, unread: 2 }), room(2)], totalUnread: 2 });
  return { transport, env, chat, uploader };
}

const photo = { id: 7, name: 'kitchen.png', mime: 'image/png', size: 10, url: '/api/attachments/7' };

const flush = () => new Promise((r) => setTimeout(r, 0));

// Notifications wait a moment (NOTIFY_DELAY_MS): the tests that see them run on fake timers.
afterEach(() => {
  vi.useRealTimers();
});

describe('ChatController', () => {
  it('connects once and shows the unread total in the tab title', () => {
    const { transport, env } = setup();
    expect(transport.connected).toBe(true);
    expect(env.title).toBe('(2) E-Cleaner Chat');
  });

  it('sends optimistically and settles on the stored message', async () => {
    const { transport, chat } = setup();
    chat.sendMessage(1, '  On my way  ');
    expect(roomMessagesOf(chat.state, 1).pending).toMatchObject([{ clientId: 'cid-1', content: 'On my way', status: 'pending' }]);
    expect(transport.sent[0]?.input).toMatchObject({ roomId: 1, content: 'On my way', clientId: 'cid-1' });
    transport.sent[0]?.resolve(message(1, 3, alice, { clientId: 'cid-1', content: 'On my way' }));
    await flush();
    expect(roomMessagesOf(chat.state, 1).pending).toHaveLength(0);
    expect(roomMessagesOf(chat.state, 1).messages.map((m) => m.content)).toEqual(['On my way']);
  });

  it('quotes a reply to a photo sent without text as the server will, not as deleted, while it is sent', () => {
    const { chat } = setup();
    const picture = message(1, 2, bob, { type: 'image', content: '', attachment: photo });
    chat.sendMessage(1, 'That one?', picture);
    expect(roomMessagesOf(chat.state, 1).pending[0]?.replyTo).toMatchObject({ id: picture.id, excerpt: '📷 Photo' });
  });

  it("clears the room's draft when it is sent, and only that room's", () => {
    const { chat } = setup();
    chat.setDraft(1, 'On my way');
    chat.setDraft(2, 'Not yet');
    chat.sendMessage(1, 'On my way');
    expect(draftOf(chat.state, 1).text).toBe('');
    expect(draftOf(chat.state, 2).text).toBe('Not yet');
  });

  it('uploads a picked file, then sends it by id with the text optional, and re-sends it by id on retry', async () => {
    const { transport, chat, uploader } = setup();
    const file = new File([new Uint8Array(10)], 'kitchen.png', { type: 'image/png' });
    const upload = chat.uploads.attach(1, file);
    expect(draftOf(chat.state, 1).attachment).toMatchObject({ name: 'kitchen.png', status: 'uploading' });
    expect(uploader.uploads[0]).toMatchObject({ roomId: 1, file, name: 'kitchen.png' });
    uploader.uploads[0]?.resolve(photo);
    await upload;
    expect(draftOf(chat.state, 1).attachment).toMatchObject({ status: 'ready', uploaded: photo });
    chat.sendMessage(1, '  ', undefined, photo);
    expect(transport.sent[0]?.input).toMatchObject({ roomId: 1, content: '', attachmentId: 7 });
    expect(draftOf(chat.state, 1).attachment).toBeNull();
    transport.sent[0]?.reject(new ChatError('UNAVAILABLE', 'Offline'));
    await flush();
    chat.retry(1, 'cid-1');
    expect(transport.sent[1]?.input).toMatchObject({ clientId: 'cid-1', attachmentId: 7 });
  });

  it('refuses other file types and sizes without uploading, and says so for a 413 or 415 from the server', async () => {
    const { chat, uploader } = setup();
    await chat.uploads.attach(1, new File(['x'], 'notes.txt', { type: 'text/plain' }));
    expect(uploader.uploads).toHaveLength(0);
    expect(draftOf(chat.state, 1).attachment).toMatchObject({ status: 'failed', error: ATTACHMENT_RULES });
    const upload = chat.uploads.attach(1, new File(['%PDF'], 'quote.pdf', { type: 'application/pdf' }));
    uploader.uploads[0]?.reject(new HttpChatError('TOO_LARGE', 'HTTP 413', 413));
    await upload;
    expect(draftOf(chat.state, 1).attachment).toMatchObject({ name: 'quote.pdf', status: 'failed', error: ATTACHMENT_RULES });
  });

  it('ignores the late answer of an upload whose file was removed', async () => {
    const { chat, uploader } = setup();
    const upload = chat.uploads.attach(1, new File(['x'], 'a.png', { type: 'image/png' }));
    chat.uploads.remove(1);
    uploader.uploads[0]?.resolve(photo);
    await upload;
    expect(draftOf(chat.state, 1).attachment).toBeNull();
  });

  it('marks a refused send failed, and retries it with the same clientId', async () => {
    const { transport, chat } = setup();
    chat.sendMessage(1, 'hello');
    transport.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Slow down'));
    await flush();
    expect(roomMessagesOf(chat.state, 1).pending[0]).toMatchObject({ status: 'failed', error: 'Slow down' });
    chat.retry(1, 'cid-1');
    expect(transport.sent[1]?.input.clientId).toBe('cid-1');
    expect(roomMessagesOf(chat.state, 1).pending[0]?.status).toBe('pending');
  });

  it('does not retry a failed message in a closed room, where it could never go through, but lets it be discarded', async () => {
    const { transport, chat } = setup();
    chat.sendMessage(1, 'hello');
    transport.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Slow down'));
    await flush();
    transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) });
    chat.retry(1, 'cid-1');
    expect(transport.sent).toHaveLength(1);
    expect(roomMessagesOf(chat.state, 1).pending[0]?.status).toBe('failed');
    chat.discard(1, 'cid-1');
    expect(roomMessagesOf(chat.state, 1).pending).toEqual([]);
  });

  it('does not send blank messages', () => {
    const { transport, chat } = setup();
    chat.sendMessage(1, '   \n ');
    expect(transport.sent).toHaveLength(0);
  });

  it('opening a room with new messages loads its latest page and marks it read once its list shows the newest', async () => {
    const { transport, chat, env } = setup();
    transport.historyAnswer = () => ({ messages: [message(1, 1, bob), message(1, 2, bob)], hasMore: false });
    chat.togglePanel(true);
    chat.openRoom(1);
    await flush();
    expect(transport.historyCalls[0]).toMatchObject({ roomId: 1, limit: 50 });
    // It may open at its "New messages" line, with newer ones out of view: not read yet.
    expect(transport.reads).toEqual([]);
    chat.setAtLatest(true);
    expect(transport.reads).toContainEqual({ roomId: 1, seq: 2 });
    expect(chat.state.totalUnread).toBe(0);
    expect(env.title).toBe('E-Cleaner Chat');
  });

  it('loads older pages before the oldest loaded seq', async () => {
    const { transport, chat } = setup();
    // All read: the room opens at its newest page (with new messages it would load back to them itself).
    transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 200 })], totalUnread: 0 });
    transport.historyAnswer = (q) =>
      q.beforeSeq === undefined
        ? { messages: Array.from({ length: 50 }, (_, i) => message(1, 151 + i, bob)), hasMore: true }
        : { messages: Array.from({ length: 50 }, (_, i) => message(1, 101 + i, bob)), hasMore: true };
    chat.openRoom(1);
    await flush();
    await chat.loadMessages(1, 'older');
    expect(transport.historyCalls[1]).toMatchObject({ roomId: 1, beforeSeq: 151 });
    expect(roomMessagesOf(chat.state, 1).messages).toHaveLength(100);
  });

  it('marks a new message read at once when the room is open and the tab visible, not otherwise', async () => {
    const { transport, chat, env } = setup();
    chat.openRoom(1);
    chat.setAtLatest(true);
    await flush();
    transport.reads.length = 0;
    transport.emit('message', { message: message(1, 3, bob) });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 3 }]);
    env.setVisible(false);
    vi.useFakeTimers();
    transport.emit('message', { message: message(1, 4, bob) });
    transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    expect(transport.reads).toEqual([{ roomId: 1, seq: 3 }]);
    vi.advanceTimersByTime(NOTIFY_DELAY_MS);
    vi.useRealTimers();
    expect(env.notifications).toHaveLength(1);
    expect(env.notifications[0]?.body).toContain('message 4');
    env.setVisible(true);
    expect(transport.reads).toContainEqual({ roomId: 1, seq: 4 });
  });

  it('leaves a new message unread while the open room is scrolled back to older messages, and reads it at the bottom', async () => {
    const { transport, chat } = setup();
    chat.openRoom(1);
    await flush();
    transport.reads.length = 0;
    chat.setAtLatest(false);
    transport.emit('message', { message: message(1, 3, bob) });
    expect(transport.reads).toEqual([]);
    chat.setAtLatest(true);
    expect(transport.reads).toEqual([{ roomId: 1, seq: 3 }]);
  });

  it('does not notify for my own messages', () => {
    const { transport, env } = setup();
    env.visible = false;
    vi.useFakeTimers();
    transport.emit('message', { message: message(2, 1, alice) });
    vi.advanceTimersByTime(NOTIFY_DELAY_MS);
    vi.useRealTimers();
    expect(env.notifications).toHaveLength(0);
  });

  it('does not notify, in a hidden tab, of a message read meanwhile in another tab', () => {
    const { transport, env } = setup();
    env.visible = false;
    vi.useFakeTimers();
    transport.emit('message', { message: message(1, 3, bob) });
    transport.emit('unread', { roomId: 1, unread: 3, totalUnread: 3 });
    // The other tab, where the room is open, reads it: the server tells every tab.
    transport.emit('unread', { roomId: 1, unread: 0, totalUnread: 0 });
    transport.emit('message', { message: message(2, 1, bob) });
    transport.emit('unread', { roomId: 2, unread: 1, totalUnread: 1 });
    vi.advanceTimersByTime(NOTIFY_DELAY_MS);
    vi.useRealTimers();
    expect(env.notifications.map((n) => n.body)).toEqual(['Bob Cleaner: message 1']);
  });

  it('throttles typing announcements and sends stop once', () => {
    const { transport, chat } = setup();
    chat.setTyping(1, true);
    chat.setTyping(1, true);
    chat.setTyping(1, false);
    chat.setTyping(1, false);
    expect(transport.typings).toEqual([
      { roomId: 1, isTyping: true },
      { roomId: 1, isTyping: false },
    ]);
  });

  it('keeps announcing typing when the device clock is set back (an hour: a wrong clock corrected)', () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout'] });
    const { transport, chat } = setup();
    chat.setTyping(1, true);
    vi.setSystemTime(Date.now() - 3_600_000);
    vi.advanceTimersByTime(3_500);
    chat.setTyping(1, true);
    vi.useRealTimers();
    expect(transport.typings).toEqual([
      { roomId: 1, isTyping: true },
      { roomId: 1, isTyping: true },
    ]);
  });

  it('after a reconnect reads the loaded rooms again, the open one first, and applies what changed meanwhile', async () => {
    const { transport, chat } = setup();
    transport.historyAnswer = (q) => ({ messages: q.roomId === 1 ? [message(1, 1, bob), message(1, 2, bob)] : [message(2, 1, bob)], hasMore: false });
    chat.openRoom(2);
    await flush();
    chat.openRoom(1);
    await flush();
    transport.historyCalls.length = 0;
    // While the tab was offline Bob deleted his second message in room 1 and edited the one in room 2.
    const deletedAt = '2026-11-25T11:00:00.000Z';
    transport.historyAnswer = (q) => ({
      messages:
        q.roomId === 1
          ? [message(1, 1, bob), message(1, 2, bob, { content: '', deletedAt })]
          : [message(2, 1, bob, { content: 'Running late', editedAt: deletedAt })],
      hasMore: false,
    });
    const rooms = [room(1, { lastSeq: 2 }), room(2, { lastSeq: 1 }), room(3, { lastSeq: 40 })];
    transport.emit('ready', { user: alice, rooms, totalUnread: 0 });
    await flush();
    // Room 3 was never opened: it is not fetched (it loads fresh when opened).
    expect(transport.historyCalls).toEqual([
      { roomId: 1, beforeSeq: 3, limit: 50 },
      { roomId: 2, beforeSeq: 2, limit: 50 },
    ]);
    expect(roomMessagesOf(chat.state, 1).messages.map((m) => m.deletedAt)).toEqual([null, deletedAt]);
    expect(roomMessagesOf(chat.state, 2).messages.map((m) => m.content)).toEqual(['Running late']);
  });

  it('after a reconnect reads the newest page once for a reader at the newest, and the rows of one far up too', async () => {
    const { transport, chat } = setup();
    const all = Array.from({ length: 300 }, (_, i) => message(1, i + 1, bob));
    transport.historyAnswer = (q) => {
      const below = all.filter((m) => q.beforeSeq === undefined || m.seq < q.beforeSeq);
      return { messages: below.slice(-(q.limit ?? 50)), hasMore: below.length > (q.limit ?? 50) };
    };
    chat.openRoom(1);
    await flush();
    for (let i = 0; i < 4; i++) await chat.loadMessages(1, 'older');
    const reconnect = async () => {
      transport.historyCalls.length = 0;
      transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 300 })], totalUnread: 0 });
      await flush();
      await flush();
      return transport.historyCalls.map((q) => [q.beforeSeq, q.limit]);
    };
    // At the newest: its page, once (not once for the rows shown and once more as the newest page).
    chat.showing(1, 285, 300);
    expect(await reconnect()).toEqual([[301, 50]]);
    // Far up: the newest page, and the page around the rows shown.
    chat.showing(1, 60, 75);
    expect(await reconnect()).toEqual([
      [301, 50],
      [96, 100],
    ]);
  });

  it('forgets everything on sign out', () => {
    const { transport, chat } = setup();
    chat.disconnect();
    expect(transport.connected).toBe(false);
    expect(chat.state.roomOrder).toEqual([]);
    transport.emit('message', { message: message(1, 9, bob) });
    expect(chat.state.roomMessages).toEqual({});
  });
});
