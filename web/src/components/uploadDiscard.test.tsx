/** A file is uploaded when picked: one taken off the message before sending is deleted on the server. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { flush, openEmptyRoom } from '../test/renderChat.tsx';

const photo = (name: string) => new File([new Uint8Array(2048)], name, { type: 'image/png' });
const stored = (id: number, name: string) => ({ id, name, mime: 'image/png', size: 2048, url: `/api/attachments/${id}` });

function pick(name: string) {
  fireEvent.change(screen.getByLabelText('Attach a photo or PDF'), { target: { files: [photo(name)] } });
}

const chip = () => screen.queryByRole('group', { name: 'Attached file' });

describe('a picked file taken off the message', () => {
  it('is deleted on the server when removed from the composer', async () => {
    const { uploader } = await openEmptyRoom();
    pick('wrong.png');
    act(() => uploader.uploads[0]?.resolve(stored(7, 'wrong.png')));
    await flush();
    fireEvent.click(within(chip()!).getByRole('button', { name: 'Remove wrong.png' }));
    expect(chip()).toBeNull();
    expect(uploader.discarded).toEqual([7]);
  });

  it('is deleted when another file is picked in its place', async () => {
    const { uploader } = await openEmptyRoom();
    pick('wrong.png');
    act(() => uploader.uploads[0]?.resolve(stored(7, 'wrong.png')));
    await flush();
    pick('right.png');
    expect(uploader.discarded).toEqual([7]);
    act(() => uploader.uploads[1]?.resolve(stored(8, 'right.png')));
    await flush();
    expect(chip()?.textContent).toContain('right.png');
  });

  it('is deleted when its upload finishes after it was removed', async () => {
    const { uploader } = await openEmptyRoom();
    pick('wrong.png');
    fireEvent.click(within(chip()!).getByRole('button', { name: 'Remove wrong.png' }));
    act(() => uploader.uploads[0]?.resolve(stored(7, 'wrong.png')));
    await flush();
    expect(uploader.discarded).toEqual([7]);
    expect(chip()).toBeNull();
  });

  it('is kept when it is sent', async () => {
    const { transport, uploader } = await openEmptyRoom();
    pick('keys.png');
    act(() => uploader.uploads[0]?.resolve(stored(9, 'keys.png')));
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await flush();
    expect(transport.sent.map((s) => s.input.attachmentId)).toEqual([9]);
    expect(chip()).toBeNull();
    expect(uploader.discarded).toEqual([]);
  });
});
