/** Files dropped on the open room, pasted into its message box or picked: which are attached. */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openEmptyRoom } from '../test/renderChat.tsx';

const photo = (name: string) => new File([new Uint8Array(16)], name, { type: 'image/png' });

describe('attaching files', () => {
  it('attaches the first of several files at once, and says the others are not', async () => {
    const { chat, uploader } = await openEmptyRoom();

    const chatRoom = screen.getByLabelText('Message').closest('.chat-room') as HTMLElement;
    fireEvent.drop(chatRoom, { dataTransfer: { types: ['Files'], files: [photo('hall.png'), photo('bath.png'), photo('oven.png')] } });
    expect(uploader.uploads.map((u) => u.name)).toEqual(['hall.png']);
    expect(chat.state.notice).toBe('One file per message: hall.png is attached, the other 2 are not.');

    fireEvent.paste(screen.getByLabelText('Message'), { clipboardData: { files: [photo('sink.png'), photo('tap.png')], getData: () => '' } });
    expect(uploader.uploads.map((u) => u.name)).toEqual(['hall.png', 'sink.png']);
    expect(chat.state.notice).toBe('One file per message: sink.png is attached, tap.png is not.');
  });

  it('attaches a file copied in a file manager, which also carries its name or address as text', async () => {
    const { uploader } = await openEmptyRoom();
    const box = screen.getByLabelText('Message');
    const copied = (name: string) => new File([new Uint8Array(64)], name, { type: 'application/pdf' });
    // macOS Finder: the name; a Linux file manager: the path or a file:// address.
    for (const [name, text] of [
      ['quote.pdf', 'quote.pdf'],
      ['keys.pdf', '/home/alice/Documents/keys.pdf'],
      ['Floor plan.pdf', 'file:///home/alice/Floor%20plan.pdf\r\n'],
    ] as const) {
      const paste = fireEvent.paste(box, { clipboardData: { files: [copied(name)], getData: (type: string) => (type === 'text/plain' ? text : '') } });
      expect(paste).toBe(false); // default prevented: the name is not typed into the box
      expect(uploader.uploads.at(-1)).toMatchObject({ roomId: 1, name });
    }
    expect((box as HTMLTextAreaElement).value).toBe('');
  });

  it('uploads a file the browser gives no type, for the server to judge by its content, and refuses other types at once', async () => {
    const { uploader } = await openEmptyRoom();
    const picker = screen.getByLabelText('Attach a photo or PDF');
    fireEvent.change(picker, { target: { files: [new File([new Uint8Array(10)], 'notes.txt', { type: 'text/plain' })] } });
    expect(uploader.uploads).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toBe('Only photos (PNG, JPEG, GIF, WebP) and PDFs up to 10 MB');
    fireEvent.change(picker, { target: { files: [new File([new Uint8Array(10)], 'IMG_2041.jpg', { type: '' })] } });
    expect(uploader.uploads[0]).toMatchObject({ roomId: 1, name: 'IMG_2041.jpg' });
    expect(screen.getByRole('group', { name: 'Attached file' }).textContent).toContain('Uploading…');
  });

  it('says a photo picked over the size limit is too large, with its size, not that its type is wrong', async () => {
    const { uploader } = await openEmptyRoom();
    const picker = screen.getByLabelText('Attach a photo or PDF');
    // 10.02 MiB: just over the 10 MiB limit, and not to be shown as "10.0 MB".
    const big = new File([new Uint8Array(10 * 1024 * 1024 + 20_000)], 'living room.png', { type: 'image/png' });
    fireEvent.change(picker, { target: { files: [big] } });
    expect(uploader.uploads).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toBe('Too large to send (10.1 MB): files can be up to 10 MB');
  });

  it("offers in the picker the photos and PDFs a system knows only by their extension", async () => {
    await openEmptyRoom();
    const accept = (screen.getByLabelText('Attach a photo or PDF') as HTMLInputElement).accept.split(',');
    expect(accept).toEqual(expect.arrayContaining(['image/jpeg', 'application/pdf', '.jpg', '.jpeg', '.png', '.gif', '.webp', '.pdf']));
  });
});

describe('the notice of files dropped and not attached', () => {
  const notAttached = 'One file per message: hall.png is attached, bath.png is not.';
  const stored = { id: 7, name: 'hall.png', mime: 'image/png', size: 16, url: '/api/attachments/7' };
  async function dropTwo() {
    const r = await openEmptyRoom();
    const chatRoom = screen.getByLabelText('Message').closest('.chat-room') as HTMLElement;
    fireEvent.drop(chatRoom, { dataTransfer: { types: ['Files'], files: [photo('hall.png'), photo('bath.png')] } });
    expect(r.chat.state.notice).toBe(notAttached);
    return r;
  }

  it('stays while the file it speaks of is attached, uploading then uploaded', async () => {
    const { chat, uploader } = await dropTwo();
    act(() => uploader.uploads[0]?.resolve(stored));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', false));
    expect(chat.state.notice).toBe(notAttached);
  });

  it('goes when that file is removed', async () => {
    const { chat } = await dropTwo();
    fireEvent.click(screen.getByRole('button', { name: 'Remove hall.png' }));
    expect(chat.state.notice).toBeNull();
  });

  it('goes when another file is picked in its place', async () => {
    const { chat } = await dropTwo();
    fireEvent.change(screen.getByLabelText('Attach a photo or PDF'), { target: { files: [photo('sink.png')] } });
    expect(chat.state.notice).toBeNull();
  });

  it('goes when the file is sent', async () => {
    const { chat, uploader } = await dropTwo();
    act(() => uploader.uploads[0]?.resolve(stored));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Send' })).toHaveProperty('disabled', false));
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(chat.state.notice).toBeNull();
  });

  it('goes when another room is opened, or the list', async () => {
    const { chat } = await dropTwo();
    act(() => chat.openRoom(null));
    expect(chat.state.notice).toBeNull();
  });

  it('is not taken away by a later notice of something else going', async () => {
    const { chat } = await dropTwo();
    act(() => chat.showNotice('Could not edit the message: offline'));
    fireEvent.click(screen.getByRole('button', { name: 'Remove hall.png' }));
    expect(chat.state.notice).toBe('Could not edit the message: offline');
  });
});

describe("the attached file's name", () => {
  it('turns to the name the server stored once uploaded, so it does not change under the eyes at send', async () => {
    const { uploader } = await openEmptyRoom();
    const picker = screen.getByLabelText('Attach a photo or PDF');
    fireEvent.change(picker, { target: { files: [new File([new Uint8Array(10)], 'Angebot "final".pdf', { type: 'application/pdf' })] } });
    const chip = screen.getByRole('group', { name: 'Attached file' });
    expect(chip.querySelector('.file-name')?.getAttribute('title')).toBe('Angebot "final".pdf');
    act(() => uploader.uploads[0]?.resolve({ id: 9, name: 'Angebot final.pdf', mime: 'application/pdf', size: 10, url: '/api/attachments/9' }));
    await waitFor(() => expect(chip.textContent).toContain('10 B'));
    expect(chip.querySelector('.file-name')?.getAttribute('title')).toBe('Angebot final.pdf');
    expect(screen.getByRole('button', { name: 'Remove Angebot final.pdf' })).toBeTruthy();
  });
});
