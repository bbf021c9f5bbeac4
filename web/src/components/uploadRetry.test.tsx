/** A file whose upload failed for a passing reason (offline, server restarting) is not to be picked again. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HttpChatError } from '@ecc/client';
import { ChatError } from '@ecc/protocol';
import { ChatRoom } from './ChatRoom.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, room } from '../test/fixtures.ts';

const keys = new File([new Uint8Array(2048)], 'keys.png', { type: 'image/png' });
const stored = { id: 9, name: 'keys.png', mime: 'image/png', size: 2048, url: '/api/attachments/9' };
const ready = { user: alice, rooms: [room(1)], totalUnread: 0 };

async function pickedAndFailed(error: Error) {
  const r = renderChat(<ChatRoom roomId={1} />);
  act(() => r.transport.emit('ready', ready));
  act(() => r.chat.openRoom(1));
  await flush();
  fireEvent.change(screen.getByLabelText('Attach a photo or PDF'), { target: { files: [keys] } });
  act(() => r.uploader.uploads[0]?.reject(error));
  await flush();
  return r;
}

const chip = () => screen.getByRole('group', { name: 'Attached file' });

describe('an upload that failed for a passing reason', () => {
  it('is uploaded again when the connection is back, with the file held', async () => {
    const { transport, uploader } = await pickedAndFailed(new ChatError('UNAVAILABLE', 'Cannot reach the server'));
    expect(chip().textContent).toContain('Could not upload the file: Cannot reach the server');
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    act(() => transport.emit('ready', ready));
    expect(uploader.uploads.map((u) => u.file)).toEqual([keys, keys]);
    expect(chip().textContent).toContain('Uploading…');
    act(() => uploader.uploads[1]?.resolve(stored));
    await flush();
    expect(chip().textContent).toContain('2 KB');
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('has a Retry on its chip (a server error while connected: no reconnect comes to try again)', async () => {
    const { uploader } = await pickedAndFailed(new HttpChatError('INTERNAL', 'HTTP 500', 500));
    fireEvent.click(within(chip()).getByRole('button', { name: 'Retry upload of keys.png' }));
    expect(uploader.uploads.map((u) => u.file)).toEqual([keys, keys]);
    expect(chip().textContent).toContain('Uploading…');
  });

  it('is not tried again when the server refused the file: it would be refused again', async () => {
    const { transport, uploader } = await pickedAndFailed(new HttpChatError('TOO_LARGE', 'Too large', 413));
    expect(within(chip()).queryByRole('button', { name: /Retry/ })).toBeNull();
    act(() => transport.emit('ready', ready));
    expect(uploader.uploads).toHaveLength(1);
  });
});
