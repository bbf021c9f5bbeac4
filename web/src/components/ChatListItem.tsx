/** One room in the chat list: who, the last message, when, unread badge, presence. */
import { memo, useEffect, useRef, type ReactNode } from 'react';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { matchRanges } from '../chat/roomSearch.ts';
import { badgeText, peopleOf, presenceKnown, previewParts, roomTitle, typersIn, typingParts } from '../chat/selectors.ts';
import { formatListTime } from '../format.ts';
import { Avatar } from './Avatar.tsx';
import { RoomName } from './RoomName.tsx';
import { TypingLine } from './TypingLine.tsx';

interface Props {
  roomId: number;
  /** Midnight of today: read once by the list, not per row. */
  today: number;
  /** Told when the row's button is in the DOM: the list may be waiting to focus it (rows come and go as it scrolls). */
  onShown: (roomId: number, button: HTMLButtonElement) => void;
}

/**
 * Memoised, and subscribed to its own room only: a message in one room re-renders that room's
 * row (and moves it), not the others.
 */
export const ChatListItem = memo(function ChatListItem({ roomId, today, onShown }: Props) {
  const chat = useChat();
  const room = useChatSelector((s) => s.rooms[roomId]);
  const me = useChatSelector((s) => s.me);
  const presenceLive = useChatSelector(presenceKnown);
  const query = useChatSelector((s) => s.listQuery);
  const typers = useChatSelector((s) => typersIn(s, roomId));
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (button.current) onShown(roomId, button.current);
  }, [roomId, onShown]);
  const meId = me?.id;
  if (!room) return null;
  // The primary person (to staff in a job's chat, its client), as the room's header has them.
  const other = peopleOf(room, meId)[0];
  // Offline, whether they are online is unknown (presenceKnown): no dot, nothing said.
  const shown = presenceLive ? other : undefined;
  const last = room.lastMessage;
  const title = roomTitle(room, me);
  // Someone typing here is the room's latest news: said in place of its last message, as in the room.
  const typing = typingParts(typers, room.participants);
  return (
    <button
      ref={button}
      type="button"
      className={room.unread > 0 ? 'chat-list-item unread' : 'chat-list-item'}
      data-room-id={roomId}
      onClick={() => chat.openRoom(roomId)}
    >
      <Avatar name={other?.displayName ?? room.name} online={shown?.online} />
      <span className="chat-list-main">
        <span className="chat-list-top">
          {/* Cut with an ellipsis when long (a job's title): the whole of it on hover. */}
          <span className="chat-list-name room-name" title={title}>
            <RoomName name={title} mark={(from, to) => marked(title, query, from, to)} />
          </span>
          <time className="chat-list-time" dateTime={last?.createdAt ?? room.updatedAt}>
            {formatListTime(last?.createdAt ?? room.updatedAt, new Date(today))}
          </time>
        </span>
        <span className="chat-list-bottom">
          {typing ? (
            <span className="chat-list-preview typing">
              <TypingLine parts={typing} />
            </span>
          ) : (
            <Preview {...previewParts(last, meId)} />
          )}
          {room.unread > 0 && (
            <span className="badge">
              <span aria-hidden="true">{badgeText(room.unread)}</span>
              <span className="visually-hidden">{room.unread} unread</span>
            </span>
          )}
        </span>
        {shown && (
          <span className="visually-hidden">
            {shown.displayName} is {shown.online ? 'online' : 'offline'}
          </span>
        )}
        {!room.isActive && <span className="chat-list-closed">Closed</span>}
      </span>
    </button>
  );
});

/** The name's characters [from, to) with what the list's search matched marked (the eye finds why each room is listed). */
function marked(text: string, query: string, from: number, to: number): ReactNode {
  const ranges = matchRanges(text, query);
  const parts: ReactNode[] = [];
  let at = from;
  for (const [start, end] of ranges) {
    const [a, b] = [Math.max(start, from), Math.min(end, to)];
    if (a >= b) continue;
    if (a > at) parts.push(text.slice(at, a));
    parts.push(<mark key={a}>{text.slice(a, b)}</mark>);
    at = b;
  }
  if (at < to) parts.push(text.slice(at, to));
  return parts;
}

/**
 * "Bob Cleaner: " then the text, in a part of its own direction cut at its own end: the whole line laid
 * out left to right and cut at its right end showed only the last words of a right-to-left message.
 */
function Preview({ who, text }: { who: string; text: string }) {
  return (
    <span className="chat-list-preview parts">
      {who && <span className="chat-list-preview-who">{who}</span>}
      <span className="chat-list-preview-text" dir="auto">
        {text}
      </span>
    </span>
  );
}
