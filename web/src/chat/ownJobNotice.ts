/**
 * The notice a job's room gets when the job is moved ("Bob Cleaner accepted the job", "Status
 * changed to Cancelled by Alice Client") is news to the other person, not to the one who clicked.
 * The contract counts system messages as unread for every participant, the mover too: without
 * this the mover's badge went up by one for their own click, and their room showed it under a
 * "New messages" line. So once it arrives it is read for them, as their own messages are never
 * unread — only when they had read everything before it (else it stays with the unread ones, read
 * with them), and only when it is the one message the room got since the move began (a message
 * that came between is someone else's news, and reading up to the notice would read it too).
 */
import type { Job } from '@ecc/protocol';
import type { ChatController } from './controller.ts';
import type { ChatState } from './store.ts';

type Chat = Pick<ChatController, 'state' | 'store' | 'markAsRead'>;

/**
 * The room as the move began: its newest seq, and whether I had read all of it (yes for a room not
 * there yet: a job being accepted).
 */
interface RoomBefore {
  lastSeq: number;
  caughtUp: boolean;
}

/** How long the notice may take to arrive after the answer (it is sent before it, on the socket). */
const NOTICE_WAIT_MS = 10_000;

/** Runs `move` (accept or change the status of a job whose room is `roomId`, if any) and reads its notice for me. */
export async function moveJob(chat: Chat, roomId: number | null, move: () => Promise<Job>): Promise<Job> {
  const before = roomBefore(chat.state, roomId);
  const job = await move();
  const room = roomId ?? job.roomId ?? null;
  if (room !== null && before.caughtUp) readNoticeWhenHere(chat, room, before);
  return job;
}

function roomBefore(state: ChatState, roomId: number | null): RoomBefore {
  const room = roomId === null ? undefined : state.rooms[roomId];
  if (!room) return { lastSeq: 0, caughtUp: true };
  // My mark here passes my own messages (readState.ts): a cleaner who answered, then clicked "Start job", had read it all.
  const readSeq = room.participants.find((p) => p.id === state.me?.id)?.lastReadSeq ?? 0;
  return { lastSeq: room.lastSeq, caughtUp: readSeq >= room.lastSeq };
}

function readNoticeWhenHere(chat: Chat, roomId: number, before: RoomBefore): void {
  let done = false;
  const check = () => {
    if (done) return;
    const verdict = noticeVerdict(chat.state, roomId, before);
    if (verdict === 'wait') return;
    stop();
    if (verdict !== 'read') return;
    chat.markAsRead(roomId);
    // Come unseen (the room open, scrolled up), it got a "New messages" line: not news to me either.
    chat.store.dispatch({ type: 'own_notice_read', roomId, seq: chat.state.rooms[roomId]?.lastSeq ?? 0 });
  };
  const unsubscribe = chat.store.subscribe(check);
  const timer = setTimeout(() => stop(), NOTICE_WAIT_MS);
  function stop() {
    done = true;
    unsubscribe();
    clearTimeout(timer);
  }
  check();
}

function noticeVerdict(state: ChatState, roomId: number, before: RoomBefore): 'wait' | 'read' | 'leave' {
  const room = state.rooms[roomId];
  // An accepted job's room comes with its notice, on the socket: perhaps after the answer.
  if (!room || room.lastSeq <= before.lastSeq) return 'wait';
  // Not "read already" when its unread count is still 0: the count comes in a frame of its own, often after
  // the message (markAsRead does nothing when it was read elsewhere meanwhile).
  const onlyTheNotice = room.lastSeq === before.lastSeq + 1 && room.lastMessage?.seq === room.lastSeq && room.lastMessage.type === 'system';
  return onlyTheNotice ? 'read' : 'leave';
}
