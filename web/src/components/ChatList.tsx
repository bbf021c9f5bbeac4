/** The list of the user's rooms, most recently active first. */
import { memo } from 'react';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { othersIn, previewOf, roomTitle } from '../chat/selectors.ts';
import { formatListTime } from '../format.ts';
import { Avatar } from './Avatar.tsx';
import { useToday } from './useToday.ts';

export function ChatList() {
  const roomOrder = useChatSelector((s) => s.roomOrder);
  const everReady = useChatSelector((s) => s.everReady);
  // Read here, not per row: at midnight every row's time turns into a date.
  const today = useToday();
  if (roomOrder.length === 0) {
    return <p className="empty-state">{everReady ? 'No conversations yet. Accept a job or contact support to start one.' : 'Loading conversations…'}</p>;
  }
  return (
    <ul className="chat-list" aria-label="Conversations">
      {roomOrder.map((id) => (
        <ChatListItem key={id} roomId={id} today={today} />
      ))}
    </ul>
  );
}

const ChatListItem = memo(function ChatListItem({ roomId, today }: { roomId: number; today: number }) {
  const chat = useChat();
  const room = useChatSelector((s) => s.rooms[roomId]);
  const me = useChatSelector((s) => s.me);
  const meId = me?.id;
  if (!room) return null;
  const other = othersIn(room, meId)[0];
  const last = room.lastMessage;
  return (
    <li>
      <button
        type="button"
        className={room.unread > 0 ? 'chat-list-item unread' : 'chat-list-item'}
        data-room-id={roomId}
        onClick={() => chat.openRoom(roomId)}
      >
        <Avatar name={other?.displayName ?? room.name} online={other?.online} />
        <span className="chat-list-main">
          <span className="chat-list-top">
            <span className="chat-list-name">{roomTitle(room, me)}</span>
            <time className="chat-list-time" dateTime={last?.createdAt ?? room.updatedAt}>
              {formatListTime(last?.createdAt ?? room.updatedAt, new Date(today))}
            </time>
          </span>
          <span className="chat-list-bottom">
            <span className="chat-list-preview" dir="auto">{previewOf(last, meId)}</span>
            {room.unread > 0 && (
              <span className="badge">
                {room.unread}
                <span className="visually-hidden"> unread</span>
              </span>
            )}
          </span>
          {other && (
            <span className="visually-hidden">
              {other.displayName} is {other.online ? 'online' : 'offline'}
            </span>
          )}
          {!room.isActive && <span className="chat-list-closed">Closed</span>}
        </span>
      </button>
    </li>
  );
});
