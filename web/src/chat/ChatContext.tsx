/**
 * The React binding of the chat: ONE context carrying the controller (the
 * single connection and the store), and hooks that subscribe to a slice of
 * the store with useSyncExternalStore, so a frame re-renders only the
 * components whose slice changed.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { ChatController } from './controller.ts';
import type { OpenJobsState } from './openJobs.ts';
import type { ChatState } from './store.ts';

const ChatContext = createContext<ChatController | null>(null);

/**
 * Provides the chat to its subtree. The owner of the controller connects and
 * disconnects it (sign in / sign out), not the effect lifecycle, so a
 * re-mount never opens a second socket.
 */
export function ChatProvider({ controller, children }: { controller: ChatController; children: ReactNode }) {
  return <ChatContext.Provider value={controller}>{children}</ChatContext.Provider>;
}

/** The chat actions: connect, sendMessage, loadMessages, markAsRead, togglePanel, openRoom, … */
export function useChat(): ChatController {
  const controller = useContext(ChatContext);
  if (!controller) throw new Error('useChat must be used inside <ChatProvider>');
  return controller;
}

/** Subscribes to one slice of the chat state. The selector must return stable references. */
export function useChatSelector<T>(selector: (state: ChatState) => T): T {
  const { store } = useChat();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}

/** Whether the tab is in front (the Page Visibility API through the controller's environment). */
export function usePageVisible(): boolean {
  const chat = useChat();
  return useSyncExternalStore(chat.onPageVisibility, chat.pageVisible);
}

/** The open-jobs board's changes heard over the socket (openJobs.ts). */
export function useOpenJobs(): OpenJobsState {
  const { openJobs } = useChat();
  return useSyncExternalStore(openJobs.subscribe, openJobs.getState);
}
