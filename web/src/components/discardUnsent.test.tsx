/** Taking back a message before it goes: typed offline (the wrong room, a key code), or refused by the server. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { flush, openRoomOffline, openRoomWith } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';
import { TabHub } from '../test/tabPage.ts';

const theirs = message(1, 1, bob, { content: 'Where are the keys?' });
const ready = { user: alice, rooms: [room(1, { lastSeq: 1 })], totalUnread: 0 };
const photo = { id: 7, name: 'keys.png', mime: 'image/png', size: 10, url: '/api/attachments/7' };
const unsent = () => screen.getByRole('article', { name: 'From You' });

function type(text: string): void {
  fireEvent.change(screen.getByLabelText('Message'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
}

describe('discarding a message not sent yet', () => {
  it('takes back one typed offline after a Confirm: it is gone, and the reconnect sends nothing', async () => {
    const { transport, chat } = await openRoomOffline(theirs);
    type('The door code is 4512');
    expect(unsent().textContent).toContain('Sending…');

    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    // Asked first, as Delete asks: Keep leaves it to go.
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Keep' }));
    expect(unsent().textContent).toContain('The door code is 4512');
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Confirm discard' }));
    await flush();

    expect(screen.queryByRole('article', { name: 'From You' })).toBeNull();
    expect(transport.withdrawn).toEqual(['cid-1']);
    act(() => transport.emit('ready', ready));
    await flush();
    expect(screen.queryByText('The door code is 4512')).toBeNull();
    expect(chat.isSending()).toBe(false);
  });

  it('offers no Discard for one put on the socket and not answered: it may be stored already, and it is on its way', async () => {
    // Online: it goes on the socket at once.
    const { transport } = await openRoomWith([theirs]);
    type('On my way');
    expect(unsent().textContent).toContain('Sending…');
    expect(within(unsent()).queryByRole('button', { name: 'Discard' })).toBeNull();

    // No answer in time: Retry (same clientId) settles it; Discard would not unsend it.
    act(() => transport.emit('send_failed', { roomId: 1, clientId: 'cid-1', error: new ChatError('UNAVAILABLE', 'No answer'), refused: false, answered: false }));
    expect(within(unsent()).getByRole('button', { name: 'Retry' })).toBeTruthy();
    expect(within(unsent()).queryByRole('button', { name: 'Discard' })).toBeNull();
  });

  it('discards one the server refused, and deletes its uploaded file as a draft\'s is', async () => {
    const { transport, chat, uploader } = await openRoomWith([theirs]);
    // Online: it goes on the socket at once, and the server refuses it (nothing stored).
    act(() => chat.sendMessage(1, 'Here they are', undefined, photo));
    expect(within(unsent()).queryByRole('button', { name: 'Discard' })).toBeNull();
    act(() => transport.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Too many messages')));
    await flush();

    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Confirm discard' }));
    await flush();
    expect(screen.queryByRole('article', { name: 'From You' })).toBeNull();
    expect(uploader.discarded).toEqual([7]);
  });

  it('retries one that may be stored in a room closed since: refused there (ROOM_CLOSED, nothing stored), it can then be discarded', async () => {
    const { transport } = await openRoomWith([theirs]);
    type('I left the keys with the neighbour');
    // On the socket, no answer in time: it may be stored, so only Retry settles it.
    act(() => transport.sent[0]?.reject(new ChatError('UNAVAILABLE', 'No answer within 10000 ms')));
    await flush();
    act(() => transport.emit('room', { room: room(1, { lastSeq: 1, isActive: false }) }));
    expect(within(unsent()).queryByRole('button', { name: 'Discard' })).toBeNull();

    fireEvent.click(within(unsent()).getByRole('button', { name: 'Retry' }));
    // Sent again with its clientId: a stored one would be answered with its ack even in a closed room.
    expect(transport.sent[1]?.input).toMatchObject({ clientId: 'cid-1', content: 'I left the keys with the neighbour' });
    expect(unsent().textContent).toContain('Sending…');
    act(() => transport.sent[1]?.reject(new ChatError('ROOM_CLOSED', 'This chat is closed')));
    await flush();
    expect(within(unsent()).queryByRole('button', { name: 'Retry' })).toBeNull();
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Confirm discard' }));
    await flush();
    expect(screen.queryByRole('article', { name: 'From You' })).toBeNull();
  });

  it('retries one that may be stored in a room closed since: its ack shows it stored', async () => {
    const { transport } = await openRoomWith([theirs]);
    type('I left the keys with the neighbour');
    act(() => transport.sent[0]?.reject(new ChatError('UNAVAILABLE', 'No answer within 10000 ms')));
    await flush();
    act(() => transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) }));

    fireEvent.click(within(unsent()).getByRole('button', { name: 'Retry' }));
    act(() => transport.sent[1]?.resolve(message(1, 2, alice, { clientId: 'cid-1', content: 'I left the keys with the neighbour' })));
    await flush();
    // Shown once, as stored: no delivery line left.
    expect(within(screen.getByRole('log')).getAllByText('I left the keys with the neighbour')).toHaveLength(1);
    expect(unsent().textContent).not.toMatch(/Not sent|Sending…/);
    expect(within(unsent()).queryByRole('button', { name: 'Retry' })).toBeNull();
  });
});

/** The question asked before giving up on a message that may be stored: it says what Discard cannot do. */
const MAY_HAVE_REACHED = 'Stop sending? It may already have been delivered; if so it will still show in the conversation.';

describe('discarding while another tab of mine is open (a duplicated tab may hold a copy, and may have sent it)', () => {
  it('asks the plain question, and deletes its file, for one typed after my other tab started: that tab cannot hold it', async () => {
    const hub = new TabHub();
    const { uploader, chat } = await openRoomOffline(theirs, hub.tab());
    // The other tab starts listening: it says hello, this one answers. Its sessionStorage was never this tab's.
    const stop = hub.tab().onDiscarded(() => undefined);
    await flush();
    act(() => chat.sendMessage(1, 'The door code is 4512', undefined, photo));
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    expect(unsent().textContent).not.toContain('delivered');
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Confirm discard' }));
    await flush();
    expect(screen.queryByRole('article', { name: 'From You' })).toBeNull();
    expect(uploader.discarded).toEqual([7]);
    stop();
  });

  it('asks whether it may already have been delivered once a tab started after it was typed (a duplicate holds a copy), and keeps its file', async () => {
    const hub = new TabHub();
    const { uploader, chat } = await openRoomOffline(theirs, hub.tab());
    act(() => chat.sendMessage(1, 'The door code is 4512', undefined, photo));
    // "Duplicate tab" now: the copy starts with this tab's sessionStorage, and says hello.
    const stop = hub.tab().onDiscarded(() => undefined);
    await flush();
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    expect(unsent().textContent).toContain(MAY_HAVE_REACHED);
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Confirm discard' }));
    await flush();
    expect(uploader.discarded).toEqual([]);
    stop();
  });
});

/** What the red button of the question is described by (read out with it as it takes the focus). */
function questionOf(confirm: HTMLElement): string {
  return (confirm.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

describe('giving up on a message the server keeps failing (it may be stored)', () => {
  /** Sent online and dropped before its answer; its replay meets a database hiccup until the library's retries run out. */
  async function failedInternal() {
    const r = await openRoomWith([theirs]);
    type('The keys are under the mat');
    act(() => r.transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    act(() => r.transport.emit('ready', ready));
    act(() => r.transport.sent[0]?.reject(new ChatError('INTERNAL', 'Could not store the message')));
    await flush();
    return r;
  }

  it('offers Discard beside Retry, asking first with a question that says it may have been delivered; confirmed, it is gone and never sent again', async () => {
    const { transport, chat } = await failedInternal();
    expect(unsent().textContent).toContain('Not sent');
    expect(within(unsent()).getByRole('button', { name: 'Retry' })).toBeTruthy();

    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    const confirm = within(unsent()).getByRole('button', { name: 'Confirm discard' });
    expect(unsent().textContent).toContain(MAY_HAVE_REACHED);
    expect(questionOf(confirm)).toBe(MAY_HAVE_REACHED);
    // As the other Discard: the red button takes the focus, Escape is Keep and gives the focus back.
    expect(document.activeElement).toBe(confirm);
    fireEvent.keyDown(confirm, { key: 'Escape' });
    expect(unsent().textContent).not.toContain(MAY_HAVE_REACHED);
    expect(document.activeElement).toBe(within(unsent()).getByRole('button', { name: 'Discard' }));

    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Confirm discard' }));
    await flush();
    expect(screen.queryByRole('article', { name: 'From You' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));
    // Not sent again by a later reconnect, nor kept as "on its way".
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    act(() => transport.emit('ready', ready));
    await flush();
    expect(transport.sent).toHaveLength(1);
    expect(chat.isSending()).toBe(false);
  });

  it('shows the copy the server stored after all once, as sent, when it comes after the discard', async () => {
    const { transport } = await failedInternal();
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Confirm discard' }));
    await flush();

    act(() => transport.emit('message', { message: message(1, 2, alice, { clientId: 'cid-1', content: 'The keys are under the mat' }) }));
    await flush();
    expect(within(screen.getByRole('log')).getAllByText('The keys are under the mat')).toHaveLength(1);
    expect(unsent().textContent).not.toMatch(/Not sent|Sending…/);
  });

  it('keeps only Retry after a first failure with no answer; failing again after the Retry, it offers Discard too', async () => {
    const { transport } = await openRoomWith([theirs]);
    type('On my way');
    act(() => transport.sent[0]?.reject(new ChatError('UNAVAILABLE', 'No answer within 10000 ms')));
    await flush();
    expect(within(unsent()).queryByRole('button', { name: 'Discard' })).toBeNull();

    fireEvent.click(within(unsent()).getByRole('button', { name: 'Retry' }));
    expect(within(unsent()).queryByRole('button', { name: 'Discard' })).toBeNull();
    act(() => transport.sent[1]?.reject(new ChatError('UNAVAILABLE', 'No answer within 10000 ms')));
    await flush();
    expect(within(unsent()).getByRole('button', { name: 'Retry' })).toBeTruthy();
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    expect(questionOf(within(unsent()).getByRole('button', { name: 'Confirm discard' }))).toBe(MAY_HAVE_REACHED);
  });

  it('asks the plain question for one the server cannot hold: nothing of it reached anyone', async () => {
    const { transport } = await openRoomWith([theirs]);
    type('Here they are');
    act(() => transport.sent[0]?.reject(new ChatError('RATE_LIMITED', 'Too many messages')));
    await flush();
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    expect(unsent().textContent).not.toContain('delivered');
  });
});

describe('giving up on a message written on a socket that dropped before its answer (typed in a lift)', () => {
  /** Sent online, so written at once; the connection then drops: the library holds it to send again with its clientId. */
  async function cutOff() {
    const r = await openRoomWith([theirs]);
    type('The door code is 4512');
    act(() => r.transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    return r;
  }

  it('offers Discard while it waits for the connection, asking first whether to stop what may have been delivered; confirmed, it is gone and not sent again', async () => {
    const { transport, chat } = await cutOff();
    expect(unsent().textContent).toContain('Sending…');
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    const confirm = within(unsent()).getByRole('button', { name: 'Confirm discard' });
    expect(questionOf(confirm)).toBe(MAY_HAVE_REACHED);
    expect(document.activeElement).toBe(confirm);

    fireEvent.click(confirm);
    await flush();
    expect(screen.queryByRole('article', { name: 'From You' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));
    expect(transport.withdrawn).toEqual(['cid-1']);
    act(() => transport.emit('state', { state: 'open', attempt: 0 }));
    act(() => transport.emit('ready', ready));
    await flush();
    expect(screen.queryByText('The door code is 4512')).toBeNull();
    expect(chat.isSending()).toBe(false);
  });

  it('offers none once the connection is back, when it is on its way again: a question open then goes, the focus to the message box', async () => {
    const { transport } = await cutOff();
    fireEvent.click(within(unsent()).getByRole('button', { name: 'Discard' }));
    act(() => transport.emit('state', { state: 'open', attempt: 0 }));
    act(() => transport.emit('ready', ready));
    await flush();
    expect(within(unsent()).queryByRole('button', { name: /discard/i })).toBeNull();
    expect(unsent().textContent).not.toContain(MAY_HAVE_REACHED);
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));
    expect(transport.withdrawn).toEqual([]);
  });
});
