/** One conversation: header with back button and presence, the message list, typing indicator and composer. */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { jobStatusLabel, type Message } from '@ecc/protocol';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { peopleOf, presenceKnown, presencePeopleOf, roomTitle, typersIn, typingParts } from '../chat/selectors.ts';
import { roomMessagesOf } from '../chat/store.ts';
import { formatLastSeen } from '../format.ts';
import { Avatar } from './Avatar.tsx';
import { Composer } from './Composer.tsx';
import { MessageList } from './MessageList.tsx';
import { ArrivalStatus } from './ArrivalStatus.tsx';
import { ClosingNotice } from './ClosingNotice.tsx';
import { RoomName } from './RoomName.tsx';
import { PeoplePresence, RoomPeople } from './RoomPeople.tsx';
import { TypingLine } from './TypingLine.tsx';
import { focusLost } from './focusLost.ts';
import { typesOnScreen } from './onScreenKeyboard.ts';
import { useToday } from './useToday.ts';

export function ChatRoom({ roomId }: { roomId: number }) {
  const chat = useChat();
  const room = useChatSelector((s) => s.rooms[roomId]);
  const me = useChatSelector((s) => s.me);
  const meId = me?.id;
  const typers = useChatSelector((s) => typersIn(s, roomId));
  const presenceLive = useChatSelector(presenceKnown);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  // The message answered as it is now: it may be edited or deleted while the reply is written.
  const replyTarget = useChatSelector((s) => (replyTo && roomMessagesOf(s, roomId).messages.find((m) => m.id === replyTo.id)) ?? replyTo);
  const onReply = useCallback((m: Message) => setReplyTo(m), []);
  const cancelReply = useCallback(() => setReplyTo(null), []);
  // "Last seen today at …" becomes "yesterday" at midnight.
  const today = useToday();
  const drop = useFileDrop(room?.isActive === true, (files) => chat.uploads.attachAll(roomId, files));
  // On a touch screen the message box does not take the focus (Composer): the room's name does, when
  // the list row tapped to get here went away with it, so a screen reader is not left on <body>.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (typesOnScreen() && focusLost()) heading.current?.focus();
  }, []);

  if (!room) {
    return (
      <div className="chat-room">
        <p className="empty-state">This conversation is not available.</p>
        <button type="button" onClick={() => chat.openRoom(null)}>
          Back to conversations
        </button>
      </div>
    );
  }
  // The primary person first (the job's other party, a support room's user to an agent): theirs is the avatar, and the presence (to staff in a job's chat, both parties': presencePeopleOf).
  const people = peopleOf(room, meId);
  const other = people[0];
  const title = roomTitle(room, me);
  const role = me?.role === 'support' && room.type === 'support' && other ? PERSON_ROLE[other.role] : undefined;
  const typing = typingParts(typers, room.participants);
  // Offline, the others' presence is unknown: neither "Online" nor a "Last seen" they may have left behind since.
  const shown = presenceLive ? other : undefined;
  const presences = (presenceLive ? presencePeopleOf(room, meId) : []).map((person) => ({
    person,
    text: person.online ? 'Online' : person.lastSeen ? formatLastSeen(person.lastSeen, new Date(today)) : 'Offline',
  }));

  return (
    <div className={drop.over ? 'chat-room drop-target' : 'chat-room'} {...drop.handlers}>
      <header className="chat-room-header">
        <button type="button" className="icon-button" aria-label="Back to conversations" onClick={() => chat.openRoom(null)}>
          ←
        </button>
        <Avatar name={other?.displayName ?? room.name} online={shown?.online} />
        <div className="chat-room-title">
          {/* Cut with an ellipsis when long (a job's title): the whole of it on hover. */}
          <h2 className="room-name" title={title} ref={heading} tabIndex={-1}>
            <RoomName name={title} />
          </h2>
          <p className="chat-room-facts">
            {/* In its own direction: cut at its end, a right-to-left name showed its last words. */}
            {/* To support staff, whom they are helping (role): a client's questions are not a cleaner's. */}
            {other && <RoomPeople people={people} markStaff={room.type === 'job'} role={role} />}
            <PeoplePresence shown={presences} named={people.length > 1} />
            {room.job && <span className={`status-chip status-${room.job.status}`}>{jobStatusLabel(room.job.status)}</span>}
          </p>
        </div>
        <button type="button" className="icon-button" aria-label="Close chat panel" onClick={() => chat.togglePanel(false)}>
          ×
        </button>
      </header>
      <MessageList roomId={roomId} onReply={onReply} />
      <ArrivalStatus roomId={roomId} />
      <div className="typing-indicator" aria-live="polite">
        {typing && <TypingLine parts={typing} />}
      </div>
      {room.isActive && room.closesAt && <ClosingNotice key={`closing-${roomId}`} jobStatus={room.job?.status} closesAt={room.closesAt} />}
      <Composer key={roomId} roomId={roomId} replyTo={replyTarget} onCancelReply={cancelReply} disabled={!room.isActive} />
    </div>
  );
}

/**
 * A file dragged from the desktop onto an open room is attached like a
 * picked one (and is not opened by the browser in place of the app); the
 * room is outlined while one is over it.
 */
function useFileDrop(enabled: boolean, attach: (files: File[]) => void) {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them to know when the file left the room.
  const depth = useRef(0);
  const carriesFiles = (e: DragEvent) => enabled && e.dataTransfer.types.includes('Files');
  const handlers = {
    onDragEnter: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current += 1;
      setOver(true);
    },
    onDragLeave: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    },
    onDragOver: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    },
    onDrop: (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current = 0;
      setOver(false);
      attach([...e.dataTransfer.files]);
    },
  };
  return { over, handlers };
}

/** What a support agent is told of the person in a support room (a role the app does not know yet: nothing). */
const PERSON_ROLE: Partial<Record<string, string>> = { client: 'Client', cleaner: 'Cleaner' };
