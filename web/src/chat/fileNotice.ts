/**
 * A notice about the file picked in a room ("One file per message: hall.png is attached, bath.png
 * is not.") holds only while that file is the room's attachment and the room is open: left on
 * screen after the file was removed, replaced or sent, it spoke of something no longer there.
 */
import { draftIn } from './drafts.ts';
import type { ChatState } from './store.ts';

/** The picked file a notice speaks of: the room's draft attachment by its uploadId. */
export interface NoticeAbout {
  roomId: number;
  uploadId: number;
}

/** The state without its notice when the file that notice speaks of has left the draft, or its room was left. */
export function withoutStaleNotice(state: ChatState): ChatState {
  const about = state.noticeAbout;
  if (!about) return state;
  const attached = draftIn(state.drafts, about.roomId).attachment?.uploadId === about.uploadId;
  return attached && state.activeRoomId === about.roomId ? state : { ...state, notice: null, noticeAbout: null };
}
