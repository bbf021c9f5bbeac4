import { describe, expect, it, vi } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { forgetSavedChats, type KeyValueStorage } from './savedChat.ts';
import { MemoryStorage, page } from '../test/tabPage.ts';
import { draftOf, editOf, roomMessagesOf, savingEditOf } from './store.ts';
import { alice, bob, message } from '../test/fixtures.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));
const photo = { id: 7, name: 'keys.png', mime: 'image/png', size: 10, url: '/api/attachments/7' };

describe('unsent messages and drafts across a reload of the tab', () => {
  it('shows a message still being sent again after a reload and sends it with the same clientId, so it is stored once', async () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.ready();
    const reply = message(1, 2, bob, { content: 'Where are the keys?' });
    before.chat.sendMessage(1, 'Under the mat', reply, photo);
    expect(before.transport.sent).toHaveLength(1);

    // Reloaded before the ack came: a new page of the same tab.
    const after = page(storage, alice, 'other');
    expect(roomMessagesOf(after.chat.state, 1).pending).toMatchObject([
      { clientId: 'cid-1', content: 'Under the mat', status: 'pending', attachment: photo, replyTo: { id: reply.id } },
    ]);
    expect(after.transport.sent.map((s) => s.input)).toEqual([
      { roomId: 1, content: 'Under the mat', clientId: 'cid-1', replyToId: reply.id, attachmentId: 7 },
    ]);

    after.ready();
    after.transport.sent[0]?.resolve(message(1, 3, alice, { clientId: 'cid-1', content: 'Under the mat' }));
    await flush();
    expect(roomMessagesOf(after.chat.state, 1).pending).toEqual([]);
    // Acknowledged: a further reload has nothing to send.
    expect(page(storage).transport.sent).toEqual([]);
  });

  it('keeps the order of several unsent messages of a room', () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    for (const text of ['one', 'two', 'three']) before.chat.sendMessage(1, text);
    const after = page(storage, alice, 'other');
    expect(after.transport.sent.map((s) => [s.input.clientId, s.input.content])).toEqual([
      ['cid-1', 'one'],
      ['cid-2', 'two'],
      ['cid-3', 'three'],
    ]);
  });

  it('brings a failed message back as failed, sent only when I retry, and gone for good when I discard it', async () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.ready();
    before.chat.sendMessage(1, 'Too fast');
    before.transport.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Too many messages'));
    await flush();

    const after = page(storage);
    expect(roomMessagesOf(after.chat.state, 1).pending).toMatchObject([{ clientId: 'cid-1', status: 'failed', error: 'Too many messages' }]);
    expect(after.transport.sent).toEqual([]);
    after.chat.discard(1, 'cid-1');
    expect(roomMessagesOf(after.chat.state, 1).pending).toEqual([]);
    expect(roomMessagesOf(page(storage).chat.state, 1).pending).toEqual([]);
  });

  it('does not discard a message on its way, put on the socket (it may be stored already)', () => {
    const storage = new MemoryStorage();
    const tab = page(storage);
    tab.ready();
    tab.chat.sendMessage(1, 'On its way');
    tab.chat.discard(1, 'cid-1');
    expect(roomMessagesOf(tab.chat.state, 1).pending).toHaveLength(1);
  });

  it('keeps each room’s draft text and an uploaded file, not a file still uploading', async () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.chat.setDraft(1, 'The code is');
    const upload = before.chat.uploads.attach(1, new File([new Uint8Array(10)], 'keys.png', { type: 'image/png' }));
    before.uploader.uploads[0]?.resolve(photo);
    await upload;
    before.chat.setDraft(2, 'See you');
    void before.chat.uploads.attach(2, new File([new Uint8Array(10)], 'door.png', { type: 'image/png' }));
    expect(draftOf(before.chat.state, 2).attachment?.status).toBe('uploading');

    const after = page(storage);
    expect(draftOf(after.chat.state, 1)).toMatchObject({ text: 'The code is', attachment: { name: 'keys.png', status: 'ready', uploaded: photo } });
    expect(draftOf(after.chat.state, 2)).toEqual({ text: 'See you', attachment: null, edit: null, saving: [] });
    // The restored file is sent by id like one picked on this page.
    after.chat.sendMessage(1, 'The code is 4711', undefined, draftOf(after.chat.state, 1).attachment?.uploaded ?? undefined);
    expect(after.transport.sent[0]?.input).toMatchObject({ attachmentId: 7 });
    expect(draftOf(page(storage).chat.state, 1)).toEqual({ text: '', attachment: null, edit: null, saving: [] });
  });

  it('keeps the edit of a message in progress, per user, forgotten once ended or on sign out', () => {
    const storage = new MemoryStorage();
    const mine = message(1, 2, alice, { content: 'Meet at 9' });
    const before = page(storage);
    before.chat.edits.start(mine);
    before.chat.edits.change(1, mine.id, 'Meet at 9, the code is 4711');

    const after = page(storage);
    expect(draftOf(after.chat.state, 1)).toEqual({ text: '', attachment: null, edit: { messageId: mine.id, text: 'Meet at 9, the code is 4711', original: 'Meet at 9' }, saving: [] });
    // Not for another user of the tab.
    expect(draftOf(page(storage, bob).chat.state, 1).edit).toBeNull();
    after.chat.edits.cancel(1, mine.id);
    expect((editOf(page(storage).chat.state, 1, mine.id)?.text ?? null)).toBeNull();

    const again = page(storage);
    again.chat.edits.start(mine);
    again.chat.disconnect();
    expect(storage.items.size).toBe(0);
    expect(draftOf(page(storage).chat.state, 1).edit).toBeNull();
  });

  it('keeps an edit saved and not yet confirmed (offline), shows it as saving after a reload and sends it again', async () => {
    const storage = new MemoryStorage();
    const mine = message(1, 2, alice, { content: 'Meet at 9' });
    const before = page(storage);
    before.transport.holdEdits = true;
    before.chat.edits.start(mine);
    void before.chat.edits.save(mine, 'Meet at 10');
    expect(before.transport.edits).toEqual([{ messageId: mine.id, content: 'Meet at 10' }]);
    expect(before.env.leaveCheck?.()).toBe(true);

    const after = page(storage);
    expect(savingEditOf(after.chat.state, 1, mine.id)).toEqual({ messageId: mine.id, text: 'Meet at 10', original: 'Meet at 9' });
    expect(after.transport.edits).toEqual([{ messageId: mine.id, content: 'Meet at 10' }]);
    await flush();
    // Confirmed: nothing left to keep.
    expect(savingEditOf(after.chat.state, 1, mine.id)).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it('reads drafts a tab saved before edits were kept', () => {
    const storage = new MemoryStorage();
    storage.items.set(`ecc.chat.v1.user.${alice.id}`, JSON.stringify({ version: 1, pending: [], drafts: [{ roomId: 1, text: 'Older tab', attachment: null }] }));
    expect(draftOf(page(storage).chat.state, 1)).toEqual({ text: 'Older tab', attachment: null, edit: null, saving: [] });
    // An edit kept before edits kept the text they began from: restored without it (no "changed elsewhere" to tell).
    const olderEdit = { roomId: 1, text: '', attachment: null, edit: { messageId: 5, text: 'Half an edit' } };
    storage.items.set(`ecc.chat.v1.user.${alice.id}`, JSON.stringify({ version: 1, pending: [], drafts: [olderEdit] }));
    expect(draftOf(page(storage).chat.state, 1).edit).toEqual({ messageId: 5, text: 'Half an edit', original: null });
  });

  it("keeps each user's unsent messages to that user, and forgets them when the user signs out", () => {
    const storage = new MemoryStorage();
    page(storage, alice).chat.sendMessage(1, 'Private to Alice');
    expect(page(storage, bob).transport.sent).toEqual([]);

    const again = page(storage, alice);
    expect(again.transport.sent).toHaveLength(1);
    again.chat.disconnect();
    expect(storage.items.size).toBe(0);
    expect(page(storage, alice).transport.sent).toEqual([]);
  });

  it('forgets what the tab kept for users whose session ended, not for the one signing in', () => {
    const storage = new MemoryStorage();
    page(storage, alice).chat.sendMessage(1, 'Private to Alice');
    page(storage, bob).chat.setDraft(1, 'Bob typing');
    storage.items.set('unrelated', 'kept');
    const asStorage = { get length() { return storage.items.size; }, key: (i: number) => [...storage.items.keys()][i] ?? null, removeItem: (k: string) => storage.removeItem(k) };
    forgetSavedChats(asStorage, bob.id);
    expect([...storage.items.keys()].sort()).toEqual([`ecc.chat.v1.user.${bob.id}`, 'unrelated']);
    forgetSavedChats(asStorage, null);
    expect([...storage.items.keys()]).toEqual(['unrelated']);
  });

  it('ignores what it cannot read, and works without storage at all', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const storage = new MemoryStorage();
    const key = 'ecc.chat.v1.user.' + String(alice.id);
    for (const junk of ['{not json', JSON.stringify({ version: 1, pending: [{ clientId: 'x' }], drafts: [] }), JSON.stringify({ version: 99 })]) {
      storage.items.set(key, junk);
      const tab = page(storage);
      expect(tab.transport.sent).toEqual([]);
      expect(tab.chat.state.roomMessages).toEqual({});
    }

    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const tab = page(broken);
    tab.chat.sendMessage(1, 'Still sent');
    expect(tab.transport.sent[0]?.input).toMatchObject({ content: 'Still sent' });
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('asks before the page is left only while a message is being sent', async () => {
    const storage = new MemoryStorage();
    const tab = page(storage);
    tab.ready();
    expect(tab.env.leaveCheck?.()).toBe(false);
    tab.chat.sendMessage(1, 'Hold on');
    expect(tab.env.leaveCheck?.()).toBe(true);
    tab.transport.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Too many messages'));
    await flush();
    // Failed and shown as such: leaving loses nothing the user does not see.
    expect(tab.env.leaveCheck?.()).toBe(false);
    tab.chat.disconnect();
    expect(tab.env.leaveCheck).toBeNull();
  });
});
