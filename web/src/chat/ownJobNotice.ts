/**
 * The notice a job's room gets when the job is moved ("Bob Cleaner accepted the job", "Status
 * changed to Cancelled by Alice Client") is news to the other person, not to the one who clicked.
 * The contract counts system messages as unread for every participant, the mover too: without
 * this the mover's badge went up by one for their own click, and their room showed it under a
 * "New messages" line. So once it arrives it is read for them, as their own messages are never
 * unread — only when they had read everything before it (else it stays with the unread ones, read
 * with them), and only when it is the one message the room got since the move began (a message
 * that came between is someone else's news, and reading up to the notice would read it too).
 * The notice has no sender, and comes on the socket before the move's answer: it is registered as
 * mine before the move is made, so the room open on screen takes no "New messages" line for it
 * (unreadMarker.ts), not even until it is read. Registered by its seq and its words, which name
 * the mover: the other person's move made at the same moment may win (mine refused) or land first,
 * and its notice, in the seq mine was expected at, is the one they most need to see.
 */
import { jobAcceptedNotice, jobStatusNotice, type Job, type JobStatus, type User } from '@ecc/protocol';
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

/** The words of the notice `me` moving a job to `to` brings (to `assigned`: accepting it), as the server words it. */
export function noticeOfMove(me: User, to: JobStatus): string {
  return to === 'assigned' ? jobAcceptedNotice(me.displayName) : jobStatusNotice(to, me.displayName);
}

/**
 * Runs `move` (accept or change the status of a job whose room is `roomId`, if any), which moves the
 * job to `to` (`assigned`: accepting it), and reads its notice for me.
 */
export async function moveJob(chat: Chat, roomId: number | null, to: JobStatus, move: () => Promise<Job>): Promise<Job> {
  const before = roomBefore(chat.state, roomId);
  const me = chat.state.me;
  const content = me ? noticeOfMove(me, to) : null;
  // An accepted job's room is new: not on screen, so no line to keep from it.
  const expected = roomId !== null && content !== null && before.caughtUp ? { roomId, seq: before.lastSeq + 1, content } : null;
  if (expected) chat.store.dispatch({ type: 'own_notice_expected', ...expected });
  const settle = () => {
    if (expected) chat.store.dispatch({ type: 'own_notice_settled', ...expected });
  };
  let job: Job;
  try {
    job = await move();
  } catch (err) {
    // Refused (another's move won, say): what comes in that seq is theirs, news to me.
    settle();
    throw err;
  }
  const room = roomId ?? job.roomId ?? null;
  if (room !== null && content !== null && before.caughtUp) readNoticeWhenHere(chat, room, before, content, settle);
  else settle();
  return job;
}

function roomBefore(state: ChatState, roomId: number | null): RoomBefore {
  const room = roomId === null ? undefined : state.rooms[roomId];
  if (!room) return { lastSeq: 0, caughtUp: true };
  // My mark here passes my own messages (readState.ts): a cleaner who answered, then clicked "Start job", had read it all.
  const readSeq = room.participants.find((p) => p.id === state.me?.id)?.lastReadSeq ?? 0;
  return { lastSeq: room.lastSeq, caughtUp: readSeq >= room.lastSeq };
}

/** Reads the notice once it is here; `settled` when that is decided (read, left unread, or not come in time). */
function readNoticeWhenHere(chat: Chat, roomId: number, before: RoomBefore, content: string, settled: () => void): void {
  let done = false;
  const check = () => {
    if (done) return;
    const verdict = noticeVerdict(chat.state, roomId, before, content);
    if (verdict === 'wait') return;
    // Read before it is settled, so no step finds it neither read nor mine; `done` first, as reading it calls here again.
    done = true;
    if (verdict === 'read') chat.markAsRead(roomId);
    stop();
  };
  const unsubscribe = chat.store.subscribe(check);
  const timer = setTimeout(() => stop(), NOTICE_WAIT_MS);
  function stop() {
    done = true;
    unsubscribe();
    clearTimeout(timer);
    settled();
  }
  check();
}

function noticeVerdict(state: ChatState, roomId: number, before: RoomBefore, content: string): 'wait' | 'read' | 'leave' {
  const room = state.rooms[roomId];
  // An accepted job's room comes with its notice, on the socket: perhaps after the answer.
  if (!room || room.lastSeq <= before.lastSeq) return 'wait';
  // Not "read already" when its unread count is still 0: the count comes in a frame of its own, often after
  // the message (markAsRead does nothing when it was read elsewhere meanwhile). Another's notice in
  // its seq (their move landed just before mine, my answer overtaking my notice) is left unread.
  const newest = room.lastMessage;
  const onlyTheNotice = room.lastSeq === before.lastSeq + 1 && newest?.seq === room.lastSeq && newest.type === 'system' && newest.content === content;
  return onlyTheNotice ? 'read' : 'leave';
}
