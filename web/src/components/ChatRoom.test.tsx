import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { HttpChatError } from '@ecc/client';
import { ChatRoom } from './ChatRoom.tsx';
import { useChatSelector } from '../chat/ChatContext.tsx';
import { renderChat, flush, openRoomWith as openRoom, sendRefused } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';
import { formatTime } from '../format.ts';

/** Shows the open room like the panel does: leaving it unmounts the room and its composer. */
function ShownRoom() {
  const roomId = useChatSelector((s) => s.activeRoomId);
  return roomId === null ? null : <ChatRoom key={roomId} roomId={roomId} />;
}

/** The line under the conversation saying who is typing (each name a part of its own). */
const typingLine = () => document.querySelector('.typing-indicator')?.textContent;

describe('ChatRoom', () => {
  it('shows messages with sender, time and a date separator', async () => {
    await openRoom();
    const log = screen.getByRole('log', { name: 'Conversation' });
    expect(within(log).getByRole('article', { name: 'From Bob Cleaner' }).textContent).toContain('Hello Alice');
    expect(within(log).getByRole('article', { name: 'From You' }).textContent).toContain('Hi Bob');
    expect(within(log).getAllByRole('separator')).toHaveLength(1);
    expect(log.querySelectorAll('time').length).toBeGreaterThanOrEqual(2);
    // The bare time, and on hover the whole date: the day separator may be scrolled far above.
    const time = within(log).getByRole('article', { name: 'From Bob Cleaner' }).querySelector('time');
    const sentAt = message(1, 1, bob).createdAt;
    expect(time?.textContent).toBe(formatTime(sentAt));
    expect(time?.title).toContain('2026');
    expect(time?.title).toContain(formatTime(sentAt));
  });

  it('sends on Enter, adds a line on Shift+Enter, and shows the message pending at once', async () => {
    const { transport } = await openRoom();
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'Line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(transport.sent).toHaveLength(0);
    fireEvent.change(box, { target: { value: 'Line one\nLine two' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(transport.sent[0]?.input.content).toBe('Line one\nLine two');
    expect((box as HTMLTextAreaElement).value).toBe('');
    expect(screen.getByText('Sending…')).toBeTruthy();
    act(() => transport.sent[0]?.resolve(message(1, 3, alice, { clientId: 'cid-1', content: 'Line one\nLine two' })));
    await flush();
    expect(screen.queryByText('Sending…')).toBeNull();
  });

  it('when the room closes: typed text stays readable until discarded, and only Delete is offered', async () => {
    const r = await openRoom();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Spare key is with the neighbour' } });
    act(() => r.transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) }));
    expect(screen.queryByLabelText('Message')).toBeNull();
    const unsent = screen.getByLabelText(/Not sent/) as HTMLTextAreaElement;
    expect(unsent.value).toBe('Spare key is with the neighbour');
    expect(unsent.readOnly).toBe(true);
    const log = screen.getByRole('log', { name: 'Conversation' });
    const mine = within(log).getByRole('article', { name: 'From You' });
    expect(within(mine).queryByRole('button', { name: /Reply/ })).toBeNull();
    expect(within(mine).queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(within(mine).getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(within(within(log).getByRole('article', { name: 'From Bob Cleaner' })).queryByRole('button')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Discard text' }));
    expect(screen.queryByLabelText(/Not sent/)).toBeNull();
    expect(screen.getByText(/This chat is closed/)).toBeTruthy();
  });

  /**
   * Types an edit of my message, lets `interrupt` make it unsaveable, and checks the typed text stays in
   * the same box, read-only, with `why`; Enter saves nothing; Cancel closes it and focuses the message.
   */
  async function expectEditKeptUnsaveable(interrupt: (r: Awaited<ReturnType<typeof openRoom>>) => void, why: RegExp): Promise<HTMLElement> {
    const r = await openRoom();
    fireEvent.click(within(screen.getByRole('article', { name: 'From You' })).getByRole('button', { name: 'Edit' }));
    const box = screen.getByLabelText('Edit text') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'Hi Bob, the code is 4711' } });
    act(() => interrupt(r));
    const mine = within(screen.getByRole('log', { name: 'Conversation' })).getByRole('article', { name: 'From You' });
    const unsaved = within(mine).getByLabelText(/Not saved/) as HTMLTextAreaElement;
    // The same box, so a keyboard user typing in it keeps their place.
    expect(unsaved).toBe(box);
    expect(unsaved.value).toBe('Hi Bob, the code is 4711');
    expect(unsaved.readOnly).toBe(true);
    expect(within(mine).getByRole('alert').textContent).toMatch(why);
    expect(within(mine).queryByRole('button', { name: 'Save' })).toBeNull();
    fireEvent.keyDown(unsaved, { key: 'Enter' });
    expect(r.transport.edits).toEqual([]);
    fireEvent.click(within(mine).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText(/Not saved/)).toBeNull();
    expect(document.activeElement).toBe(mine);
    return mine;
  }

  it('when the room closes during an edit: the typed text stays readable, with why it cannot be saved, until cancelled', async () => {
    const mine = await expectEditKeptUnsaveable(
      (r) => r.transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) }),
      /chat closed before your edit was saved/,
    );
    expect(mine.textContent).toContain('Hi Bob');
    expect(mine.textContent).not.toContain('4711');
  });

  it('keeps an edit being typed when the room is left and shown again, and ends it once saved', async () => {
    const r = renderChat(<ShownRoom />);
    r.transport.historyAnswer = (q) => ({ messages: q.roomId === 1 ? [message(1, 1, bob, { content: 'Hello Alice' }), message(1, 2, alice, { content: 'Hi Bob' })] : [], hasMore: false });
    act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 2 }), room(2)], totalUnread: 0 }));
    act(() => r.chat.openRoom(1));
    await flush();
    fireEvent.click(within(screen.getByRole('article', { name: 'From You' })).getByRole('button', { name: 'Edit' }));
    fireEvent.change(screen.getByLabelText('Edit text'), { target: { value: 'Hi Bob, the address is 12 Elm Street' } });
    act(() => r.chat.openRoom(2));
    act(() => r.chat.openRoom(null));
    act(() => r.chat.openRoom(1));
    await flush();
    const box = screen.getByLabelText('Edit text') as HTMLTextAreaElement;
    expect(box.value).toBe('Hi Bob, the address is 12 Elm Street');
    // Shown again, it leaves the focus in the message box.
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(r.transport.edits).toEqual([{ messageId: message(1, 2, alice).id, content: 'Hi Bob, the address is 12 Elm Street' }]);
    act(() => r.chat.openRoom(null));
    act(() => r.chat.openRoom(1));
    await flush();
    expect(screen.queryByLabelText('Edit text')).toBeNull();
  });

  it('when the message being edited is deleted meanwhile: the typed text stays readable, with why, until cancelled', async () => {
    const mine = await expectEditKeptUnsaveable(
      (r) => r.transport.emit('message_updated', { message: message(1, 2, alice, { content: '', deletedAt: '2026-11-25T11:00:00.000Z' }) }),
      /message was deleted before your edit was saved/,
    );
    expect(mine.textContent).toContain('This message was deleted');
  });

  it('puts focus back on the message box after Send is clicked', async () => {
    const { transport } = await openRoom();
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'On my way' } });
    const sendButton = screen.getByRole('button', { name: 'Send' });
    sendButton.focus();
    fireEvent.click(sendButton);
    expect(transport.sent).toHaveLength(1);
    expect(document.activeElement).toBe(box);
  });

  it('keeps an unsent draft per room when the room is left, and clears it once sent', async () => {
    const r = renderChat(<ShownRoom />);
    r.transport.historyAnswer = () => ({ messages: [], hasMore: false });
    act(() => r.transport.emit('ready', { user: alice, rooms: [room(1), room(2)], totalUnread: 0 }));
    act(() => r.chat.openRoom(1));
    await flush();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'The key is under the mat' } });
    act(() => r.chat.openRoom(2));
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('');
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Other room' } });
    act(() => r.chat.openRoom(null));
    expect(screen.queryByLabelText('Message')).toBeNull();
    act(() => r.chat.openRoom(1));
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
    expect(box.value).toBe('The key is under the mat');
    fireEvent.keyDown(box, { key: 'Enter' });
    act(() => r.chat.openRoom(2));
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('Other room');
    act(() => r.chat.openRoom(1));
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('');
  });

  it('counts characters near the limit and refuses to send past it instead of cutting the text', async () => {
    const { transport } = await openRoom();
    const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'a'.repeat(3000) } });
    expect(screen.queryByText(/\/ 4,000/)).toBeNull();
    fireEvent.change(box, { target: { value: 'a'.repeat(3712) } });
    expect(screen.getByText('3,712 / 4,000')).toBeTruthy();
    fireEvent.change(box, { target: { value: 'a'.repeat(4120) } });
    expect(box.value).toHaveLength(4120);
    expect(screen.getByText(/4,120 \/ 4,000 · Too long to send: remove 120 characters/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(transport.sent).toHaveLength(0);
    fireEvent.change(box, { target: { value: 'a'.repeat(4001) } });
    expect(screen.getByText(/Too long to send: remove 1 character\.$/)).toBeTruthy();
    fireEvent.change(box, { target: { value: 'a'.repeat(4000) } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(transport.sent[0]?.input.content).toHaveLength(4000);
  });

  it('attaches a photo: shows it uploading, sends it without text, and clears it', async () => {
    const { transport, uploader } = await openRoom();
    const picker = screen.getByLabelText('Attach a photo or PDF') as HTMLInputElement;
    expect(picker.accept.split(',')).toEqual(expect.arrayContaining(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']));
    const file = new File([new Uint8Array(2048)], '<b>kitchen</b>.png', { type: 'image/png' });
    fireEvent.change(picker, { target: { files: [file] } });
    const chip = screen.getByRole('group', { name: 'Attached file' });
    expect(chip.textContent).toContain('<b>kitchen</b>.png');
    expect(chip.querySelector('b')).toBeNull();
    expect(within(chip).getByRole('status').textContent).toBe('Uploading…');
    const sendButton = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
    expect(sendButton.disabled).toBe(true);
    expect(uploader.uploads[0]).toMatchObject({ roomId: 1, name: '<b>kitchen</b>.png' });
    act(() => uploader.uploads[0]?.resolve({ id: 9, name: '<b>kitchen</b>.png', mime: 'image/png', size: 2048, url: '/api/attachments/9' }));
    await flush();
    expect(within(chip).getByRole('status').textContent).toBe('2 KB');
    expect(sendButton.disabled).toBe(false);
    fireEvent.click(sendButton);
    expect(transport.sent[0]?.input).toMatchObject({ roomId: 1, content: '', attachmentId: 9 });
    expect(screen.queryByRole('group', { name: 'Attached file' })).toBeNull();
  });

  it('attaches a pasted screenshot or a file dropped on the room, and leaves pasted text alone', async () => {
    const { uploader } = await openRoom();
    const box = screen.getByLabelText('Message');
    const shot = new File([new Uint8Array(512)], 'image.png', { type: 'image/png' });
    fireEvent.paste(box, { clipboardData: { files: [shot], getData: () => '' } });
    expect(uploader.uploads[0]).toMatchObject({ roomId: 1, name: 'image.png' });
    expect(screen.getByRole('group', { name: 'Attached file' }).textContent).toContain('image.png');
    // Text copied with a picture stays a text paste (the browser inserts it).
    fireEvent.paste(box, { clipboardData: { files: [shot], getData: () => 'Kitchen: done' } });
    expect(uploader.uploads).toHaveLength(1);

    const room = screen.getByRole('log', { name: 'Conversation' }).closest('.chat-room') as HTMLElement;
    const pdf = new File([new Uint8Array(64)], 'invoice.pdf', { type: 'application/pdf' });
    const dataTransfer = { types: ['Files'], files: [pdf], dropEffect: 'none' };
    fireEvent.dragEnter(room, { dataTransfer });
    expect(room.classList.contains('drop-target')).toBe(true);
    const over = fireEvent.dragOver(room, { dataTransfer });
    expect(over).toBe(false); // default prevented: the browser does not open the file instead
    fireEvent.drop(room, { dataTransfer });
    expect(room.classList.contains('drop-target')).toBe(false);
    expect(uploader.uploads[1]).toMatchObject({ roomId: 1, name: 'invoice.pdf' });
    expect(screen.getByRole('group', { name: 'Attached file' }).textContent).toContain('invoice.pdf');
  });

  it('says which files are accepted when the server refuses one, and lets it be removed', async () => {
    const { uploader } = await openRoom();
    const file = new File([new Uint8Array(10)], 'huge.jpg', { type: 'image/jpeg' });
    fireEvent.change(screen.getByLabelText('Attach a photo or PDF'), { target: { files: [file] } });
    act(() => uploader.uploads[0]?.reject(new HttpChatError('TOO_LARGE', 'HTTP 413', 413)));
    await flush();
    expect(screen.getByRole('alert').textContent).toBe('Only photos (PNG, JPEG, GIF, WebP) and PDFs up to 10 MB');
    fireEvent.click(screen.getByRole('button', { name: 'Remove huge.jpg' }));
    expect(screen.queryByRole('group', { name: 'Attached file' })).toBeNull();
  });

  it('offers Retry for a failed message and re-sends it with the same clientId', async () => {
    const { transport } = await openRoom();
    await sendRefused(transport, 'Are you there?');
    expect(screen.getByRole('alert').textContent).toContain('Not sent');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(transport.sent[1]?.input).toMatchObject({ clientId: transport.sent[0]?.input.clientId, content: 'Are you there?' });
  });

  it('offers only Discard for a failed message once the room is closed: Retry could never work there', async () => {
    const { transport } = await openRoom();
    await sendRefused(transport, 'I have your keys');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
    act(() => transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) }));
    const failed = screen.getByRole('alert');
    expect(within(failed).queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(within(failed).getByRole('button', { name: 'Discard' })).toBeTruthy();
    // The text stays in the bubble, to be copied.
    expect(within(screen.getByRole('log')).getByText('I have your keys')).toBeTruthy();
    fireEvent.click(within(failed).getByRole('button', { name: 'Discard' }));
    fireEvent.click(within(failed).getByRole('button', { name: 'Confirm discard' }));
    expect(screen.getByRole('log').textContent).not.toContain('I have your keys');
    expect(transport.sent).toHaveLength(1);
  });

  it('lets me discard a failed message instead of retrying it', async () => {
    const { transport } = await openRoom();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Wrong room, sorry' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    // While it is on its way there is nothing to discard: it cannot be called back.
    expect(screen.queryByRole('button', { name: 'Discard' })).toBeNull();
    act(() => transport.sent[0]?.reject(new ChatError('FORBIDDEN', 'This conversation is closed')));
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm discard' }));
    expect(screen.getByRole('log').textContent).not.toContain('Wrong room, sorry');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(transport.sent).toHaveLength(1);
  });

  it('renders message text as text: markup never becomes elements, only http(s) URLs become safe links', async () => {
    await openRoom([
      message(1, 1, bob, { content: '<img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>' }),
      message(1, 2, bob, { content: 'see https://example.com/a?b=1, or javascript:alert(3) and <a href="javascript:alert(4)">x</a>' }),
    ]);
    const log = screen.getByRole('log');
    expect(log.querySelector('img, script, b')).toBeNull();
    expect(log.textContent).toContain('<img src=x onerror="alert(1)">');
    const links = within(log).getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]?.getAttribute('href')).toBe('https://example.com/a?b=1');
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('shows who is typing, and "Seen" under my last message the other person read', async () => {
    const { transport } = await openRoom();
    act(() => transport.emit('typing', { roomId: 1, userId: bob.id, username: 'cleaner1', isTyping: true }));
    expect(typingLine()).toBe('Bob Cleaner is typing…');
    expect(screen.queryByText('Seen')).toBeNull();
    act(() => transport.emit('receipt', { roomId: 1, userId: bob.id, lastReadSeq: 2 }));
    expect(screen.getByText('Seen')).toBeTruthy();
  });

  it('stops showing who is typing once the room closes (the job completed or cancelled)', async () => {
    const { transport } = await openRoom();
    act(() => transport.emit('typing', { roomId: 1, userId: bob.id, username: 'cleaner1', isTyping: true }));
    expect(typingLine()).toBe('Bob Cleaner is typing…');
    act(() => transport.emit('room', { room: room(1, { isActive: false, job: { id: 1, title: 'Deep clean', status: 'cancelled' } }) }));
    expect(typingLine()).toBe('');
  });

  it('lays out each message in its own direction: Hebrew or Arabic right to left', async () => {
    await openRoom([message(1, 1, bob, { content: 'שלום! המפתח אצל השוער.' })]);
    const text = screen.getByText('שלום! המפתח אצל השוער.');
    // dir="auto" takes the direction from the first strong character, so "!" ends up where a reader of Hebrew expects it.
    expect(text.closest('[dir]')?.getAttribute('dir')).toBe('auto');
  });

  it('replies with a quoted excerpt and edits my own message', async () => {
    const { transport } = await openRoom();
    fireEvent.click(screen.getByRole('button', { name: 'Reply to Bob Cleaner' }));
    expect(screen.getByText(/Replying to/).textContent).toContain('Hello Alice');
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Sure' } });
    fireEvent.keyDown(screen.getByLabelText('Message'), { key: 'Enter' });
    expect(transport.sent[0]?.input).toMatchObject({ content: 'Sure', replyToId: message(1, 1, bob).id });
    const mine = screen.getAllByRole('article', { name: 'From You' })[0]!;
    fireEvent.click(within(mine).getByRole('button', { name: 'Edit' }));
    expect(screen.getByLabelText('Edit text')).toBeTruthy();
    // Saved unchanged: nothing is sent, so the message is not marked "(edited)" for nothing.
    fireEvent.keyDown(screen.getByLabelText('Edit text'), { key: 'Enter' });
    expect(transport.edits).toEqual([]);
    fireEvent.click(within(screen.getAllByRole('article', { name: 'From You' })[0]!).getByRole('button', { name: 'Edit' }));
    fireEvent.change(screen.getByLabelText('Edit text'), { target: { value: 'Sure, at 10' } });
    fireEvent.keyDown(screen.getByLabelText('Edit text'), { key: 'Enter' });
    expect(transport.edits).toHaveLength(1);
    expect(transport.edits[0]?.content).toBe('Sure, at 10');
  });

  it('counts an edit like the message box: an emoji is one character, a counter near the limit, no Save past it', async () => {
    const { transport } = await openRoom();
    fireEvent.click(within(screen.getByRole('article', { name: 'From You' })).getByRole('button', { name: 'Edit' }));
    const box = screen.getByLabelText('Edit text') as HTMLTextAreaElement;
    // A browser's maxlength counts UTF-16 units: it would stop an emoji-heavy edit at half the limit.
    expect(box.getAttribute('maxlength')).toBeNull();
    fireEvent.change(box, { target: { value: '🧽'.repeat(3712) } });
    expect(screen.getByText('3,712 / 4,000')).toBeTruthy();
    fireEvent.change(box, { target: { value: 'a'.repeat(4120) } });
    expect(box.value).toHaveLength(4120);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/4,120 \/ 4,000 · Too long to save: remove 120 characters/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(transport.edits).toEqual([]);
    expect(screen.getByLabelText('Edit text')).toBe(box);
    fireEvent.change(box, { target: { value: '🧽'.repeat(4000) } });
    expect(screen.queryByText(/Too long/)).toBeNull();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(transport.edits[0]?.content).toBe('🧽'.repeat(4000));
  });

  it('quotes the message being answered as it is now, once it is edited or deleted', async () => {
    const { transport } = await openRoom();
    fireEvent.click(screen.getByRole('button', { name: 'Reply to Bob Cleaner' }));
    const original = message(1, 1, bob, { content: 'Hello Alice' });
    act(() => transport.emit('message_updated', { message: { ...original, content: 'Hello Alice, I come at 10', editedAt: '2026-11-25T11:00:00.000Z' } }));
    expect(screen.getByText(/Replying to/).textContent).toContain('I come at 10');
    act(() => transport.emit('message_updated', { message: { ...original, content: '', deletedAt: '2026-11-25T11:01:00.000Z' } }));
    expect(screen.getByText(/Replying to/).textContent).toContain('Message deleted');
    expect(screen.getByText(/Replying to/).textContent).not.toContain('Hello Alice');
  });

  it('after a reconnect shows a message deleted while the tab was offline as deleted', async () => {
    const { transport } = await openRoom();
    expect(screen.getByText('Hello Alice')).toBeTruthy();
    transport.historyAnswer = () => ({
      messages: [message(1, 1, bob, { content: '', deletedAt: '2026-11-25T11:00:00.000Z' }), message(1, 2, alice, { content: 'Hi Bob' })],
      hasMore: false,
    });
    act(() => transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 2 })], totalUnread: 0 }));
    await flush();
    expect(screen.queryByText('Hello Alice')).toBeNull();
    expect(screen.getByText('This message was deleted')).toBeTruthy();
  });

  it('when the first page fails to load, says so and offers to try again instead of "No messages yet"', async () => {
    const r = renderChat(<ChatRoom roomId={1} />);
    r.transport.historyAnswer = () => {
      throw new ChatError('INTERNAL', 'db busy');
    };
    act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 1 })], totalUnread: 0 }));
    act(() => r.chat.openRoom(1));
    await flush();
    expect(screen.queryByText('No messages yet. Say hello!')).toBeNull();
    expect(screen.getByText(/Could not load the messages/)).toBeTruthy();
    r.transport.historyAnswer = () => ({ messages: [message(1, 1, bob, { content: 'Hello Alice' })], hasMore: false });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await flush();
    expect(screen.getByText('Hello Alice')).toBeTruthy();
  });

  it('goes back to the list', async () => {
    const { chat } = await openRoom();
    fireEvent.click(screen.getByRole('button', { name: 'Back to conversations' }));
    expect(chat.state.activeRoomId).toBeNull();
  });
});
