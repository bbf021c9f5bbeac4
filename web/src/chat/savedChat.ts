/**
 * What a tab keeps across a reload: its messages not yet acknowledged, its
 * drafts (with the edit of a message in progress, and edits saved and not yet confirmed)
 * and its deletions not yet answered. Without it a message shown
 * as "Sending…" while offline vanished when the page was reloaded, and so did
 * a half-typed reply or edit.
 *
 * Kept in the tab's sessionStorage, under the signed-in user: it survives a
 * reload and a restored crashed tab; it is the tab's own (only "Duplicate tab"
 * copies it, and the copy's re-sends carry the same clientIds, so they are
 * stored once; a message discarded in either is discarded in the other too,
 * also in a copy not listening then: otherTabs.ts); it goes when the tab closes or the user signs out. Restored messages are sent again with their clientId, so one the
 * server stored before the reload is acknowledged, not stored twice.
 */
import { z } from 'zod';
import { Attachment, DEFAULT_LIMITS, Id, ReplyRef } from '@ecc/protocol';
import type { ChatState, PendingMessage } from './store.ts';
import { storageAttempt } from './storageAttempt.ts';

/** The part of the Web Storage API used here (sessionStorage in the browser, a map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

// Typed as the store's PendingMessage, so the two cannot drift apart.
const SavedPending: z.ZodType<PendingMessage> = z.object({
  clientId: z.string().min(1).max(DEFAULT_LIMITS.clientIdMaxChars),
  roomId: Id,
  content: z.string(),
  replyTo: ReplyRef.nullable(),
  attachment: Attachment.nullable(),
  createdAt: z.string(),
  status: z.enum(['pending', 'failed']),
  error: z.string().nullable(),
  /** Absent in what a tab saved before it was kept: it may have gone out, so it is not discardable. */
  mayBeStored: z.boolean().default(true),
  /** Absent in what a tab saved before they were kept: counted from now on. */
  failures: z.number().int().min(0).default(0),
  answered: z.boolean().default(false),
});

const SavedEdit = z.object({ messageId: Id, text: z.string(), original: z.string().nullable().default(null) });

const SavedDraft = z.object({
  roomId: Id,
  text: z.string(),
  /** Only a file already uploaded: an upload cut off by the reload is gone. */
  attachment: Attachment.nullable(),
  /** Absent in what a tab saved before edits were kept; `original` before edits kept what they began from. */
  edit: SavedEdit.nullable().default(null),
  /** Edits saved and not confirmed when the tab was reloaded: sent again. Absent in what a tab saved before they were kept. */
  saving: z.array(SavedEdit).default([]),
});
export type SavedDraft = z.infer<typeof SavedDraft>;

const SavedChatData = z.object({
  version: z.literal(1),
  /** In send order within each room. */
  pending: z.array(SavedPending),
  drafts: z.array(SavedDraft),
  /** Messages whose deletion was confirmed and not answered (messageDeletions.ts). Absent in what a tab saved before they were kept. */
  deleting: z.array(Id).default([]),
});
export type SavedChatData = z.infer<typeof SavedChatData>;

const NOTHING_SAVED: SavedChatData = { version: 1, pending: [], drafts: [], deleting: [] };

const KEY_PREFIX = 'ecc.chat.v1.user.';

/**
 * Forgets what this tab kept for every user but `keep` (null: for everyone). For a load of the
 * tab that finds the session ended (signed out in another tab while this one was offline or
 * asleep): what it kept must not wait there for whoever signs in next.
 */
export function forgetSavedChats(storage: Pick<Storage, 'length' | 'key' | 'removeItem'> | null, keep: number | null): void {
  if (!storage) return;
  storageAttempt(() => {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key?.startsWith(KEY_PREFIX) && key !== KEY_PREFIX + String(keep)) keys.push(key);
    }
    for (const key of keys) storage.removeItem(key);
  }, 'Saved chat state');
}

export class SavedChat {
  private readonly key: string;
  /** What was last written, by reference: most store changes touch neither slice. */
  private lastPending: readonly (readonly PendingMessage[])[] = [];
  private lastDrafts: ChatState['drafts'] | null = null;
  private lastDeleting: ChatState['deleting'] | null = null;

  /** `storage` null: nothing is kept (storage disabled or full; the chat works without it). */
  constructor(
    private readonly storage: KeyValueStorage | null,
    userId: number,
  ) {
    this.key = KEY_PREFIX + String(userId);
  }

  /** What this tab kept for this user; nothing when absent or unreadable. */
  load(): SavedChatData {
    const text = storageAttempt(() => this.storage?.getItem(this.key) ?? null, 'Saved chat state');
    if (!text) return NOTHING_SAVED;
    try {
      const parsed = SavedChatData.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // Not JSON: fall through, as for a shape this version does not know.
    }
    console.warn('Ignoring unreadable saved chat state');
    return NOTHING_SAVED;
  }

  /** Writes the pending messages, drafts and deletions of `state` when one of them changed since the last write. */
  save(state: ChatState): void {
    const pendingLists = Object.values(state.roomMessages).map((rm) => rm.pending);
    if (state.drafts === this.lastDrafts && state.deleting === this.lastDeleting && sameItems(pendingLists, this.lastPending)) return;
    this.lastPending = pendingLists;
    this.lastDrafts = state.drafts;
    this.lastDeleting = state.deleting;
    const data: SavedChatData = { version: 1, pending: pendingLists.flat(), drafts: savedDrafts(state.drafts), deleting: [...state.deleting] };
    if (isEmpty(data)) storageAttempt(() => this.storage?.removeItem(this.key), 'Saved chat state');
    else storageAttempt(() => this.storage?.setItem(this.key, JSON.stringify(data)), 'Saved chat state');
  }

  /** Writes `data` as what this tab keeps for this user (given back after signing in again). */
  write(data: SavedChatData): void {
    if (isEmpty(data)) return;
    storageAttempt(() => this.storage?.setItem(this.key, JSON.stringify(data)), 'Saved chat state');
  }

  /** Forgets everything kept for this user in this tab (sign out). */
  clear(): void {
    this.lastPending = [];
    this.lastDrafts = null;
    this.lastDeleting = null;
    storageAttempt(() => this.storage?.removeItem(this.key), 'Saved chat state');
  }
}

function savedDrafts(drafts: ChatState['drafts']): SavedDraft[] {
  const saved: SavedDraft[] = [];
  for (const [roomId, draft] of Object.entries(drafts)) {
    const attachment = draft.attachment?.status === 'ready' ? draft.attachment.uploaded : null;
    const { text, edit, saving } = draft;
    if (text !== '' || attachment || edit || saving.length > 0) saved.push({ roomId: Number(roomId), text, attachment, edit, saving: [...saving] });
  }
  return saved;
}

/** Nothing to keep: no message, draft or deletion waiting. */
export function isEmpty(data: SavedChatData): boolean {
  return data.pending.length === 0 && data.drafts.length === 0 && data.deleting.length === 0;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
