/**
 * Unsent drafts, one per room: what the user typed, the file they picked and
 * the edit of one of their messages in progress, kept while the panel closes,
 * another room is open or the message's row is scrolled out of the list (and
 * across a reload of the tab: savedChat.ts).
 */
import type { Attachment } from '@ecc/protocol';

/** What the user has typed in a room's message box and not sent yet. */
export interface Draft {
  text: string;
  /** The file picked for the next message, while and after it uploads. */
  attachment: DraftAttachment | null;
  /** The edit being typed in the room, one at a time (starting another replaces it). */
  edit: DraftEdit | null;
}

/** The new text of one of my messages, typed and not saved yet. */
export interface DraftEdit {
  messageId: number;
  text: string;
}

/** A picked file: uploaded to the room at once, sent by id with the message. */
export interface DraftAttachment {
  /** Tells this upload from a later one in the same room: a late answer for a removed file is ignored. */
  uploadId: number;
  name: string;
  size: number;
  status: 'uploading' | 'ready' | 'failed';
  /** The stored file once uploaded. */
  uploaded: Attachment | null;
  error: string | null;
}

export type Drafts = Readonly<Record<number, Draft>>;

export type DraftAction =
  | { type: 'draft_text'; roomId: number; text: string }
  | { type: 'draft_attachment'; roomId: number; attachment: DraftAttachment | null }
  /** A sent draft: text and file both go (an edit in progress is another box: it stays). */
  | { type: 'draft_cleared'; roomId: number }
  /** Opens the edit of a message with `text`, replacing any other edit of the room. */
  | { type: 'edit_started'; roomId: number; messageId: number; text: string }
  /** Ignored unless `messageId` is the edit open: a late change must not rewrite another one. */
  | { type: 'edit_changed'; roomId: number; messageId: number; text: string }
  /** Saved or cancelled; ignored unless `messageId` is the edit open. */
  | { type: 'edit_ended'; roomId: number; messageId: number };

const EMPTY_DRAFT: Draft = { text: '', attachment: null, edit: null };

/** The draft of a room, or a shared empty value (stable for selectors). */
export function draftIn(drafts: Drafts, roomId: number): Draft {
  return drafts[roomId] ?? EMPTY_DRAFT;
}

/** The text of the edit of `messageId` in progress, or null when that message is not being edited. */
export function editTextIn(drafts: Drafts, roomId: number, messageId: number): string | null {
  const edit = draftIn(drafts, roomId).edit;
  return edit?.messageId === messageId ? edit.text : null;
}

/** The drafts after `action`; the same object when nothing changed. */
export function reduceDrafts(drafts: Drafts, action: DraftAction): Drafts {
  const held = draftIn(drafts, action.roomId);
  let next: Draft;
  switch (action.type) {
    case 'draft_text':
      next = held.text === action.text ? held : { ...held, text: action.text };
      break;
    case 'draft_attachment':
      next = held.attachment === action.attachment ? held : { ...held, attachment: action.attachment };
      break;
    case 'draft_cleared':
      next = held.text === '' && held.attachment === null ? held : { ...held, text: '', attachment: null };
      break;
    case 'edit_started':
      next = withEdit(held, action.messageId, action.text);
      break;
    case 'edit_changed':
      next = held.edit?.messageId === action.messageId ? withEdit(held, action.messageId, action.text) : held;
      break;
    case 'edit_ended':
      next = held.edit?.messageId === action.messageId ? { ...held, edit: null } : held;
      break;
  }
  return next === held ? drafts : { ...drafts, [action.roomId]: next };
}

function withEdit(held: Draft, messageId: number, text: string): Draft {
  return held.edit?.messageId === messageId && held.edit.text === text ? held : { ...held, edit: { messageId, text } };
}
