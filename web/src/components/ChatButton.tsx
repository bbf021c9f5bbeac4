/** The navigation bar's chat button: accessible name "Chats" or "Chats, 3 unread", and a visible badge. */
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { requestNotificationPermission } from '../chat/browserEnvironment.ts';
import { badgeText, chatsButtonLabel } from '../chat/selectors.ts';
import { ElsewhereArrivals } from './ElsewhereArrivals.tsx';

export function ChatButton() {
  const chat = useChat();
  const totalUnread = useChatSelector((s) => s.totalUnread);
  const panelOpen = useChatSelector((s) => s.panelOpen);
  return (
    <>
      <button
        type="button"
        className="chat-button"
        aria-label={chatsButtonLabel(totalUnread)}
        aria-expanded={panelOpen}
        aria-controls="chat-panel"
        onClick={() => {
          requestNotificationPermission();
          chat.togglePanel();
        }}
      >
        <ChatIcon />
        <span aria-hidden="true">Chats</span>
        {totalUnread > 0 && (
          <span className="badge" aria-hidden="true" data-testid="chat-badge">
            {badgeText(totalUnread)}
          </span>
        )}
      </button>
      {/* Beside the button: heard wherever the focus is, whether or not the panel is open. */}
      <ElsewhereArrivals />
    </>
  );
}

function ChatIcon() {
  return (
    <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" strokeLinejoin="round" />
    </svg>
  );
}
