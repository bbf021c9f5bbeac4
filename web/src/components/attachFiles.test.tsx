/** Several files dropped on the open room or pasted into its message box at once: a message carries one. */
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatRoom } from './ChatRoom.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, room } from '../test/fixtures.ts';

const photo = (name: string) => new File([new Uint8Array(16)], name, { type: 'image/png' });

describe('several files at once', () => {
  it('attaches the first, and says the others are not', async () => {
    const { chat, transport, uploader } = renderChat(<ChatRoom roomId={1} />);
    act(() => transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 }));
    act(() => chat.openRoom(1));
    await flush();

    const chatRoom = screen.getByLabelText('Message').closest('.chat-room') as HTMLElement;
    fireEvent.drop(chatRoom, { dataTransfer: { types: ['Files'], files: [photo('hall.png'), photo('bath.png'), photo('oven.png')] } });
    expect(uploader.uploads.map((u) => u.name)).toEqual(['hall.png']);
    expect(chat.state.notice).toBe('One file per message: hall.png is attached, the other 2 are not.');

    fireEvent.paste(screen.getByLabelText('Message'), { clipboardData: { files: [photo('sink.png'), photo('tap.png')], getData: () => '' } });
    expect(uploader.uploads.map((u) => u.name)).toEqual(['hall.png', 'sink.png']);
    expect(chat.state.notice).toBe('One file per message: sink.png is attached, tap.png is not.');
  });
});
