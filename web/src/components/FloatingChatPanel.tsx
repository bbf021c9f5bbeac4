/** The floating chat panel: the chat list, or the open room. Full-screen on a phone. Escape closes it. */
import { useEffect, useRef, useState } from 'react';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { ChatList } from './ChatList.tsx';
import { focusLost } from './focusLost.ts';
import { ChatRoom } from './ChatRoom.tsx';

export function FloatingChatPanel() {
  const chat = useChat();
  const open = useChatSelector((s) => s.panelOpen);
  const activeRoomId = useChatSelector((s) => s.activeRoomId);
  const notice = useChatSelector((s) => s.notice);
  const panelRef = useRef<HTMLElement>(null);

  // Keyboard users land in the panel when it opens, and back on the Chats button when it closes.
  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!panelRef.current?.contains(document.activeElement)) panelRef.current?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, [open]);

  // Leaving a room removes the focused Back button: focus goes to that room in the list (which opens
  // there and focuses its row once drawn: ChatList), or to the panel when the room is not listed.
  const returnTo = useRoomLeft(open, activeRoomId);
  useEffect(() => {
    if (returnTo === null || !focusLost() || chat.state.roomOrder.includes(returnTo)) return;
    panelRef.current?.focus();
  }, [chat, returnTo]);

  if (!open) return null;
  return (
    <section
      id="chat-panel"
      className="chat-panel"
      role="dialog"
      aria-modal="false"
      aria-label="Chats"
      ref={panelRef}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) chat.togglePanel(false);
      }}
    >
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
