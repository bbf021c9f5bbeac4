/**
 * Unsent drafts, one per room: what the user typed and the file they picked,
 * kept while the panel closes or another room is open (and across a reload of
 * the tab: savedChat.ts).
 */
import type { Attachment } from '@ecc/protocol';

/** What the user has typed in a room's message box and not sent yet. */
export interface Draft {
  text: string;
  /** The file picked for the next message, while and after it uploads. */
  attachment: DraftAttachment | null;
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
  /** A sent draft: text and file both go. */
  | { type: 'draft_cleared'; roomId: number };

const EMPTY_DRAFT: Draft = { text: '', attachment: null };

/** The draft of a room, or a shared empty value (stable for selectors). */
export function draftIn(drafts: Drafts, roomId: number): Draft {
  return drafts[roomId] ?? EMPTY_DRAFT;
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
      next = drafts[action.roomId] ? EMPTY_DRAFT : held;
      break;
  }
  return next === held ? drafts : { ...drafts, [action.roomId]: next };
}
