/** The app shell: restoring the session, and what the page does around the chat. */
import { act, createEvent, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { VirtuosoMockContext } from 'react-virtuoso';
import type { ApiClient } from '@ecc/client';
import { ChatError, type User } from '@ecc/protocol';
import { App } from './App.tsx';
import type { ChatController } from './chat/controller.ts';
import type { FakeTransport, FakeUploader } from './test/fakeTransport.ts';
import { flush } from './test/renderChat.tsx';
import { alice, room } from './test/fixtures.ts';

/** The chat of the signed-in user, over a fake connection the test drives. */
const signedIn = vi.hoisted(() => ({ current: null as { chat: ChatController; transport: FakeTransport; uploader: FakeUploader } | null }));

vi.mock('./session.ts', async () => {
  const { ChatController } = await import('./chat/controller.ts');
  const { FakeEnvironment, FakeTransport, FakeUploader } = await import('./test/fakeTransport.ts');
  return {
    createChatController: () => {
      const transport = new FakeTransport();
      const uploader = new FakeUploader();
      const chat = new ChatController(transport, new FakeEnvironment(), undefined, uploader);
      signedIn.current = { chat, transport, uploader };
      return chat;
    },
    forgetEndedSession: () => undefined,
  };
});

function renderApp(me: () => Promise<User>) {
  const api = { me: vi.fn(me), jobs: () => Promise.resolve([]) } as unknown as ApiClient;
  render(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 2000, itemHeight: 40 }}>
      <App api={api} />
    </VirtuosoMockContext.Provider>,
  );
  return api;
}

const withFiles = { dataTransfer: { types: ['Files'], files: [new File([new Uint8Array(8)], 'keys.png', { type: 'image/png' })], dropEffect: 'move' } };

/** Dispatches a drag event on `target` and returns it, to read what the page did with it. */
function drag(kind: 'dragOver' | 'drop', target: Element, init: object = withFiles): Event {
  const event = createEvent[kind](target, init);
  fireEvent(target, event);
  return event;
}

describe('a file dropped outside the open room', () => {
  it('is refused page-wide, so the browser does not leave the app to open it', async () => {
    renderApp(() => Promise.reject(new ChatError('UNAUTHORIZED', 'Not signed in')));
    await flush();
    expect(drag('dragOver', document.body).defaultPrevented).toBe(true);
    expect(drag('drop', document.body).defaultPrevented).toBe(true);
    // Dragged text is not a file: the browser's own handling stays (dropping it into a text box).
    expect(drag('drop', document.body, { dataTransfer: { types: ['text/plain'], files: [] } }).defaultPrevented).toBe(false);
  });

  it('is refused on the jobs page, while the open room still takes one dropped on it', async () => {
    renderApp(() => Promise.resolve(alice));
    await flush();
    const { chat, transport, uploader } = signedIn.current!;
    act(() => transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 }));
    act(() => chat.openRoom(1));
    await flush();

    expect(drag('drop', screen.getByRole('main')).defaultPrevented).toBe(true);
    expect(uploader.uploads).toEqual([]);

    const chatRoom = screen.getByLabelText('Message').closest('.chat-room') as HTMLElement;
    const over = drag('dragOver', chatRoom);
    expect(over.defaultPrevented).toBe(true);
    expect((over as DragEvent).dataTransfer?.dropEffect).toBe('copy');
    drag('drop', chatRoom);
    expect(uploader.uploads.map((u) => u.name)).toEqual(['keys.png']);
  });
});
