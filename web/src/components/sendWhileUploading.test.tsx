/**
 * Enter pressed while the attached file is still uploading: it was ignored without a word, so one who
 * pressed it and closed the panel left a message never sent. Now it waits for the upload and goes then;
 * a failed upload sends nothing and says why.
 */
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { flush, openEmptyRoom } from '../test/renderChat.tsx';

const kitchen = new File([new Uint8Array(2048)], 'kitchen.png', { type: 'image/png' });
const stored = { id: 9, name: 'kitchen.png', mime: 'image/png', size: 2048, url: '/api/attachments/9' };

async function enterWhileUploading() {
  const r = await openEmptyRoom();
  fireEvent.change(screen.getByLabelText('Attach a photo or PDF'), { target: { files: [kitchen] } });
  const box = screen.getByLabelText('Message');
  fireEvent.change(box, { target: { value: 'The oven before' } });
  fireEvent.keyDown(box, { key: 'Enter' });
  await flush();
  return r;
}

describe('Enter pressed while the file uploads', () => {
  it('sends the message with its file once uploaded, and says it will meanwhile', async () => {
    const { transport, uploader } = await enterWhileUploading();
    expect(transport.sent).toHaveLength(0);
    expect(screen.getByText('Sends once kitchen.png has uploaded.')).toBeTruthy();
    act(() => uploader.uploads[0]?.resolve(stored));
    await flush();
    expect(transport.sent.map((s) => s.input)).toEqual([expect.objectContaining({ roomId: 1, content: 'The oven before', attachmentId: 9 })]);
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('');
    expect(screen.queryByText('Sends once kitchen.png has uploaded.')).toBeNull();
  });

  it('sends nothing when the upload fails: the text stays, and the failure is said', async () => {
    const { transport, uploader } = await enterWhileUploading();
    act(() => uploader.uploads[0]?.reject(new ChatError('TOO_LARGE', 'The file is too large')));
    await flush();
    expect(transport.sent).toHaveLength(0);
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('The oven before');
    expect(screen.queryByText('Sends once kitchen.png has uploaded.')).toBeNull();
    expect(screen.getByRole('group', { name: 'Attached file' }).querySelector('[role="alert"]')).not.toBeNull();
  });

  it('does not send once uploaded when the file was removed meanwhile', async () => {
    const { transport, uploader } = await enterWhileUploading();
    fireEvent.click(screen.getByRole('button', { name: 'Remove kitchen.png' }));
    act(() => uploader.uploads[0]?.resolve(stored));
    await flush();
    expect(transport.sent).toHaveLength(0);
  });
});
