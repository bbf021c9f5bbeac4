/**
 * The notice a job's room gets when the job is moved ("Bob Cleaner accepted the job", "Status
 * changed to Cancelled by Alice Client") is news to the other person, not to the one who clicked.
 * Its actorId says whose move it was, so to its mover it is their own doing, as their own messages
 * are (isMine): no "New messages" line above it (unreadMarker.ts), no notification (controller.ts),
 * and their read mark passes it when they had read everything before it (readState.ts) — on each of
 * their tabs and devices, whichever one moved the job, and whether the notice came before the move's
 * answer or after it. The other person's notice, even one in the seq mine was expected at (their move
 * made at the same moment won, or landed first), is theirs: news.
 *
 * But the contract counts system messages as unread for every participant, the mover too: without a
 * `read` their badge went up by one for their own click. So once the server counts something unread
 * that the mark has passed, the newest being mine, it is read for them here (only then: a notice
 * after something unread stays with the unread ones, read with them). The count comes in a frame of
 * its own after the notice (or in a `room` frame, or a `ready`), so it is looked at as each comes.
 *
 * Every notice sent live carries its actorId; one without (stored before the server recorded it, or
 * written by a node of an older version during a rolling deploy) is nobody's here, and news. The
 * greeting of a support room support staff started is the agent's own the same way (ownGreeting.ts).
 */
import type { Message } from '@ecc/protocol';
import type { ChatState, ChatStore } from './store.ts';
import type { ChatTransport } from './transport.ts';
import { isMyDoing } from './ownGreeting.ts';

/**
 * The seq to read `roomId` up to for me now: its newest, mine, when the server counts something
 * unread there that my mark (which passes my own messages and notices) has passed; else null.
 */
export function ownNoticeToRead(state: ChatState, roomId: number): number | null {
  const room = state.rooms[roomId];
  const me = state.me;
  const newest = room?.lastMessage;
  if (!room || !me || room.unread === 0 || !newest || newest.seq !== room.lastSeq || !isMyDoing(newest, room, me)) return null;
  const mark = room.participants.find((p) => p.id === me.id)?.lastReadSeq ?? 0;
  if (mark < room.lastSeq) return null;
  // The server counts, of what is mine, only my notices: a count above those at the room's end counts someone
  // else's message my mark passed without my reading it (a count of 0 that lagged it: readState.withUnread).
  return room.unread <= ownNoticesAtEnd(state, roomId, newest) ? room.lastSeq : null;
}

/** My notices in the unbroken run of my own messages and notices that ends the room. */
function ownNoticesAtEnd(state: ChatState, roomId: number, newest: Message): number {
  const room = state.rooms[roomId];
  const held = state.roomMessages[roomId]?.messages ?? [];
  let count = newest.sender ? 0 : 1;
  let seq = newest.seq - 1;
  for (let i = held.length - 1; i >= 0; i--) {
    const m = held[i];
    if (!m || m.seq > seq) continue;
    if (m.seq < seq || !isMyDoing(m, room, state.me)) break;
    if (!m.sender) count += 1;
    seq -= 1;
  }
  return count;
}

/** Reads the notices of my own job moves for me (see above), each once. */
export class OwnNoticeReads {
  /** The seq each room was read up to here: a count that lags that read (its answer follows) asks for no other. */
  private readonly sent = new Map<number, number>();

  constructor(
    private readonly store: ChatStore,
    private readonly transport: Pick<ChatTransport, 'read'>,
  ) {}

  /** A count of `roomId` came (an `unread` or `room` frame). */
  counted(roomId: number): void {
    const seq = ownNoticeToRead(this.store.getState(), roomId);
    if (seq === null || this.sent.get(roomId) === seq) return;
    this.sent.set(roomId, seq);
    this.store.dispatch({ type: 'read_locally', roomId, seq });
    this.transport.read(roomId, seq);
  }

  /** A `ready` came with every room's count: a read sent before it may not have reached the server. */
  ready(): void {
    this.sent.clear();
    for (const room of Object.values(this.store.getState().rooms)) if (room.unread > 0) this.counted(room.id);
  }
}
