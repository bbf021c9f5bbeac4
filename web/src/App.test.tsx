/** The app shell: restoring the session, and what the page does around the chat. */
import { act, createEvent, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtuosoMockContext } from 'react-virtuoso';
import { HttpChatError, type ApiClient } from '@ecc/client';
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

describe('restoring the session at start', () => {
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** /api/me answering each call with the next of `answers`. */
  function answering(...answers: (() => Promise<User>)[]) {
    let call = 0;
    return () => (answers[Math.min(call++, answers.length - 1)] as () => Promise<User>)();
  }
  const unreachable = () => Promise.reject(new ChatError('UNAVAILABLE', 'Cannot reach the server'));
  const restarting = () => Promise.reject(new HttpChatError('UNAVAILABLE', 'HTTP 503', 503));
  const signedOut = () => Promise.reject(new HttpChatError('UNAUTHORIZED', 'Not signed in', 401));

  it('says the server cannot be reached instead of asking to sign in, and signs in once it answers (back online)', async () => {
    const api = renderApp(answering(unreachable, () => Promise.resolve(alice)));
    await flush();
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Cannot reach the server');
    act(() => void window.dispatchEvent(new Event('online')));
    await flush();
    expect(api.me).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
  });

  it('tries again by itself, waiting longer each time, or at once on Try now; a 401 alone shows the sign-in page', async () => {
    vi.useFakeTimers();
    // No jitter: 1 s, then 2 s exactly (with ±20 % the two could add up to 2.4 s, inside the check at 2.6 s).
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const api = renderApp(answering(restarting, unreachable, restarting, signedOut));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(api.me).toHaveBeenCalledTimes(1);
    // 1 s, then 2 s.
    await act(() => vi.advanceTimersByTimeAsync(1300));
    expect(api.me).toHaveBeenCalledTimes(2);
    await act(() => vi.advanceTimersByTimeAsync(1300));
    expect(api.me).toHaveBeenCalledTimes(2);
    await act(() => vi.advanceTimersByTimeAsync(1300));
    expect(api.me).toHaveBeenCalledTimes(3);
    expect(screen.queryByRole('button', { name: 'Sign in' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Try now' }));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(api.me).toHaveBeenCalledTimes(4);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});
