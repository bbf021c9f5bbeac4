/**
 * Unsent drafts, one per room: what the user typed, the file they picked and
 * the edit of one of their messages in progress, kept while the panel closes,
 * another room is open or the message's row is scrolled out of the list (and
 * across a reload of the tab: savedChat.ts).
 */
import type { Attachment, Message } from '@ecc/protocol';

/** What the user has typed in a room's message box and not sent yet. */
export interface Draft {
  text: string;
  /** The file picked for the next message, while and after it uploads. */
  attachment: DraftAttachment | null;
  /** The edit being typed in the room, one at a time (starting another replaces it). */
  edit: DraftEdit | null;
  /**
   * Edits saved and not yet confirmed by the server, one per message: offline the library holds
   * them until the socket is back; kept here they show as "Saving…" and outlive a reload (re-sent).
   */
  saving: readonly DraftEdit[];
}

/** The new text of one of my messages, typed and not saved yet. */
export interface DraftEdit {
  messageId: number;
  text: string;
  /**
   * The message's text when the edit began: should it change meanwhile (edited in another tab or
   * on another device), saving would overwrite that unseen (changedMeanwhile). Null in an edit kept
   * by a tab from before this was.
   */
  original: string | null;
}

/** A picked file: uploaded to the room at once, sent by id with the message. */
export interface DraftAttachment {
  /** Tells this upload from a later one in the same room: a late answer for a removed file is ignored. */
  uploadId: number;
  name: string;
  size: number;
  status: 'uploading' | 'ready' | 'failed';
  /** While uploading: the whole percent of it sent, or null before the browser has said (draftUploads.ts). */
  progress: number | null;
  /** The stored file once uploaded. */
  uploaded: Attachment | null;
  error: string | null;
  /** The picked file, held after an upload failed for a passing reason (offline): it can go up again (draftUploads.ts). */
  retryFile: File | null;
}

export type Drafts = Readonly<Record<number, Draft>>;

export type DraftAction =
  | { type: 'draft_text'; roomId: number; text: string }
  | { type: 'draft_attachment'; roomId: number; attachment: DraftAttachment | null }
  /** A sent draft: text and file both go (an edit in progress is another box: it stays). */
  | { type: 'draft_cleared'; roomId: number }
  /** Opens the edit of a message with `text`, replacing any other edit of the room. */
  | { type: 'edit_started'; roomId: number; messageId: number; text: string; original: string | null }
  /** Ignored unless `messageId` is the edit open: a late change must not rewrite another one. */
  | { type: 'edit_changed'; roomId: number; messageId: number; text: string }
  /** Saved or cancelled; ignored unless `messageId` is the edit open. */
  | { type: 'edit_ended'; roomId: number; messageId: number }
  /** An edit sent: it replaces one of the same message still on its way. */
  | { type: 'edit_saving'; roomId: number; edit: DraftEdit }
  /** The server answered `edit` (confirmed or refused); ignored when a later save of the message replaced it. */
  | { type: 'edit_answered'; roomId: number; edit: DraftEdit };

const EMPTY_DRAFT: Draft = { text: '', attachment: null, edit: null, saving: [] };

/** The draft of a room, or a shared empty value (stable for selectors). */
export function draftIn(drafts: Drafts, roomId: number): Draft {
  return drafts[roomId] ?? EMPTY_DRAFT;
}

/** The edit of `messageId` in progress, or null when that message is not being edited. */
export function editIn(drafts: Drafts, roomId: number, messageId: number): DraftEdit | null {
  const edit = draftIn(drafts, roomId).edit;
  return edit?.messageId === messageId ? edit : null;
}

/** My saved edit of `messageId` not yet confirmed by the server, or null. */
export function savingIn(drafts: Drafts, roomId: number, messageId: number): DraftEdit | null {
  return draftIn(drafts, roomId).saving.find((e) => e.messageId === messageId) ?? null;
}

/**
 * What the message says now when it was changed elsewhere since its edit began (saving the edit
 * would replace that), or null: unchanged, deleted (a delete is final: the edit is unsaveable) or
 * changed to the very text of the edit.
 */
export function changedMeanwhile(edit: DraftEdit, message: Message): string | null {
  if (edit.original === null || message.deletedAt !== null || message.content === edit.original) return null;
  return message.content === edit.text.trim() ? null : message.content;
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
      next = withEdit(held, { messageId: action.messageId, text: action.text, original: action.original });
      break;
    case 'edit_changed':
      next = held.edit?.messageId === action.messageId ? withEdit(held, { ...held.edit, text: action.text }) : held;
      break;
    case 'edit_ended':
      next = held.edit?.messageId === action.messageId ? { ...held, edit: null } : held;
      break;
    case 'edit_saving':
      next = { ...held, saving: [...held.saving.filter((e) => e.messageId !== action.edit.messageId), action.edit] };
      break;
    case 'edit_answered':
      next = held.saving.includes(action.edit) ? { ...held, saving: held.saving.filter((e) => e !== action.edit) } : held;
      break;
  }
  return next === held ? drafts : { ...drafts, [action.roomId]: next };
}

function withEdit(held: Draft, edit: DraftEdit): Draft {
  const same = held.edit?.messageId === edit.messageId && held.edit.text === edit.text && held.edit.original === edit.original;
  return same ? held : { ...held, edit };
}
