/** The floating chat panel: the chat list, or the open room. Full-screen on a phone. Escape closes it. */
import { useEffect, useRef, useState } from 'react';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { roomMatches } from '../chat/roomSearch.ts';
import type { ChatState } from '../chat/store.ts';
import { belongsToComposition } from './compositionKey.ts';
import { ChatList } from './ChatList.tsx';
import { focusLost } from './focusLost.ts';
import { ChatRoom } from './ChatRoom.tsx';
import { PanelConnectionNotice } from './ConnectionBanner.tsx';
import { usePanelCoversPage } from './panelCoversPage.ts';
import { useFitToVisualViewport } from './fitToVisualViewport.ts';

export function FloatingChatPanel() {
  const chat = useChat();
  const open = useChatSelector((s) => s.panelOpen);
  const activeRoomId = useChatSelector((s) => s.activeRoomId);
  const notice = useChatSelector((s) => s.notice);
  const panelRef = useRef<HTMLElement>(null);
  // On a phone it fills the screen and the page under it is inert: a modal dialog then.
  const modal = usePanelCoversPage();
  useFitToVisualViewport(panelRef, modal);

  // Keyboard users land in the panel when it opens, and back where they opened it from (the Chats
  // button, a job's "Open chat") when it closes.
  const focusOutside = useFocusOutsidePanel();
  useEffect(() => {
    if (!open) return;
    const openedFrom = focusOutside.current;
    if (!panelRef.current?.contains(document.activeElement)) panelRef.current?.focus();
    return () => {
      // Gone or disabled by then: the button that opens the panel.
      const usable = openedFrom?.isConnected && !openedFrom.matches(':disabled');
      const back = usable ? openedFrom : document.querySelector<HTMLElement>('[aria-controls="chat-panel"]');
      back?.focus();
    };
  }, [open, focusOutside]);

  // Leaving a room removes the focused Back button: focus goes to that room in the list (which opens
  // there and focuses its row once drawn: ChatList), or to the panel when the room is not listed.
  const returnTo = useRoomLeft(open, activeRoomId);
  useEffect(() => {
    if (returnTo === null || !focusLost() || listed(chat.state, returnTo)) return;
    panelRef.current?.focus();
  }, [chat, returnTo]);

  if (!open) return null;
  return (
    <section
      id="chat-panel"
      className="chat-panel"
      role="dialog"
      aria-modal={modal}
      aria-label="Chats"
      ref={panelRef}
      tabIndex={-1}
      onKeyDown={(e) => {
        // Not the Escape with which an input method drops the word it composes (compositionKey.ts).
        if (e.key === 'Escape' && !e.defaultPrevented && !belongsToComposition(e)) chat.togglePanel(false);
      }}
    >
      <PanelConnectionNotice />
      {activeRoomId === null && (
        <header className="chat-panel-header">
          <h2>Messages</h2>
          <button type="button" className="icon-button" aria-label="Close chat panel" onClick={() => chat.togglePanel(false)}>
            ×
          </button>
        </header>
      )}
      {notice && (
        <div className="notice" role="alert">
          {notice}
          <button type="button" aria-label="Dismiss" onClick={() => chat.dismissNotice()}>
            ×
          </button>
        </div>
      )}
      {/* Keyed: a room opened straight from another (Contact support, a job's chat) gets its own reply,
          and a list that opens at its "New messages" line and reports its own at-the-end state. */}
      {activeRoomId === null ? <ChatList returnTo={returnTo} /> : <ChatRoom key={activeRoomId} roomId={activeRoomId} />}
    </section>
  );
}

/** Whether the list shows `roomId`: one of the user's rooms, matching the list's search if any. */
function listed(state: ChatState, roomId: number): boolean {
  const room = state.rooms[roomId];
  return room !== undefined && state.roomOrder.includes(roomId) && roomMatches(room, state.me, state.listQuery);
}

/** The room the panel just went back to the list from; null when the list was reached another way. */
function useRoomLeft(open: boolean, activeRoomId: number | null): number | null {
  const view = open ? activeRoomId : 'closed';
  // Derived from the previous render's view (React's "storing information from previous renders").
  const [seen, setSeen] = useState<{ view: number | null | 'closed'; left: number | null }>({ view, left: null });
  if (seen.view !== view) {
    const left = view === null && typeof seen.view === 'number' ? seen.view : null;
    setSeen({ view, left });
    return left;
  }
  return seen.left;
}

/**
 * The element outside the panel that has or last had focus. Read as the panel opens, it is what the
 * panel was opened from: document.activeElement is no use then, as a room opened straight away has
 * already put focus in its message box (autoFocus runs before effects).
 */
function useFocusOutsidePanel() {
  const outside = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const note = (el: EventTarget | null) => {
      if (el instanceof HTMLElement && el !== document.body && !el.closest('#chat-panel')) outside.current = el;
    };
    const onFocusIn = (e: FocusEvent) => note(e.target);
    note(document.activeElement);
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);
  return outside;
}
