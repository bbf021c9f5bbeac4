/**
 * A room that closes (its job completed or cancelled, the grace passed) while a message is being typed:
 * Send was never pressed, so the notice speaks of a draft not sent, not of a message that came too late.
 * A file picked for it is named too: closed quietly, the user never learnt their photo had not gone.
 */
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { flush, openRoomWith as openRoom } from '../test/renderChat.tsx';
import { room } from '../test/fixtures.ts';

const file = (name: string, type: string) => new File([new Uint8Array(2048)], name, { type });
const stored = (id: number, name: string, mime: string) => ({ id, name, mime, size: 2048, url: `/api/attachments/${id}` });

function pick(name: string, type: string) {
  fireEvent.change(screen.getByLabelText('Attach a photo or PDF'), { target: { files: [file(name, type)] } });
}

type Opened = Awaited<ReturnType<typeof openRoom>>;
const close = (r: Opened) => act(() => r.transport.emit('room', { room: room(1, { lastSeq: 2, isActive: false }) }));

describe('a draft in a chat that closes', () => {
  it('says the draft was not sent, and keeps it to copy', async () => {
    const r = await openRoom();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Could you also do the balcony?' } });
    close(r);
    expect(r.transport.sent).toHaveLength(0);
    expect(screen.getByText('This chat closed; your draft was not sent. You can still read the conversation.')).toBeTruthy();
    expect(screen.queryByText(/before your message was sent/)).toBeNull();
    expect((screen.getByLabelText(/Not sent/) as HTMLTextAreaElement).value).toBe('Could you also do the balcony?');
  });

  it('names a photo picked without text as not sent, and takes its upload back when discarded', async () => {
    const r = await openRoom();
    pick('kitchen.jpg', 'image/jpeg');
    act(() => r.uploader.uploads[0]?.resolve(stored(7, 'kitchen.jpg', 'image/jpeg')));
    await flush();
    close(r);
    expect(r.transport.sent).toHaveLength(0);
    expect(screen.getByText('This chat closed; your photo “kitchen.jpg” was not sent. You can still read the conversation.')).toBeTruthy();
    // Kept until the user has read that: dropped on the server, it would also leave the notice.
    expect(r.uploader.discarded).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Discard photo' }));
    expect(r.uploader.discarded).toEqual([7]);
    expect(screen.queryByText(/kitchen\.jpg/)).toBeNull();
    expect(screen.getByText('This chat is closed. You can still read the conversation.')).toBeTruthy();
  });

  it('names the PDF picked with the text, keeps the text to copy, and discards both together', async () => {
    const r = await openRoom();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Here is the invoice' } });
    pick('invoice.pdf', 'application/pdf');
    act(() => r.uploader.uploads[0]?.resolve(stored(8, 'invoice.pdf', 'application/pdf')));
    await flush();
    close(r);
    expect(screen.getByText('This chat closed; your draft and your PDF “invoice.pdf” were not sent. You can still read the conversation.')).toBeTruthy();
    expect((screen.getByLabelText(/Not sent/) as HTMLTextAreaElement).value).toBe('Here is the invoice');
    fireEvent.click(screen.getByRole('button', { name: 'Discard text and PDF' }));
    expect(r.uploader.discarded).toEqual([8]);
    expect(screen.queryByLabelText(/Not sent/)).toBeNull();
    expect(screen.getByText('This chat is closed. You can still read the conversation.')).toBeTruthy();
  });

  it('names a photo still uploading when the chat closed, and takes it back if it lands after the discard', async () => {
    const r = await openRoom();
    pick('oven.png', 'image/png');
    close(r);
    expect(screen.getByText('This chat closed; your photo “oven.png” was not sent. You can still read the conversation.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Discard photo' }));
    act(() => r.uploader.uploads[0]?.resolve(stored(9, 'oven.png', 'image/png')));
    await flush();
    expect(r.uploader.discarded).toEqual([9]);
    expect(screen.getByText('This chat is closed. You can still read the conversation.')).toBeTruthy();
  });

  it('names a photo whose upload the closed chat refused; there is nothing on the server to take back', async () => {
    const r = await openRoom();
    pick('hall.png', 'image/png');
    close(r);
    act(() => r.uploader.uploads[0]?.reject(new ChatError('ROOM_CLOSED', 'This room is closed')));
    await flush();
    expect(screen.getByText('This chat closed; your photo “hall.png” was not sent. You can still read the conversation.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Discard photo' }));
    expect(r.uploader.discarded).toEqual([]);
    expect(screen.getByText('This chat is closed. You can still read the conversation.')).toBeTruthy();
  });
});
