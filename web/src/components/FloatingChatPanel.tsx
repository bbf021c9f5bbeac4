/** The floating chat panel: the chat list, or the open room. Full-screen on a phone. Escape closes it. */
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { ChatList } from './ChatList.tsx';
import { ChatRoom } from './ChatRoom.tsx';

export function FloatingChatPanel() {
  const chat = useChat();
  const open = useChatSelector((s) => s.panelOpen);
  const activeRoomId = useChatSelector((s) => s.activeRoomId);
  const notice = useChatSelector((s) => s.notice);
  if (!open) return null;
  return (
    <section
      id="chat-panel"
      className="chat-panel"
      role="dialog"
      aria-modal="false"
      aria-label="Chats"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) chat.togglePanel(false);
      }}
    >
      {activeRoomId === null && (
        <header className="chat-panel-header">
          <h2>Messages</h2>
          <button type="button" className="icon-button" aria-label="Close chats" onClick={() => chat.togglePanel(false)}>
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
      {activeRoomId === null ? <ChatList /> : <ChatRoom roomId={activeRoomId} />}
    </section>
  );
}
