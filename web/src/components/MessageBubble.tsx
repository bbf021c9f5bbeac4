/** One message of a room: sender, time, text (never HTML), reply quote, delivery state and own-message actions. */
import { memo, useEffect, useId, useRef, useState } from 'react';
import type { Message, ReplyRef } from '@ecc/protocol';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { editOf, savingEditOf } from '../chat/store.ts';
import { isDeleting } from '../chat/messageDeletions.ts';
import { deletedText, heldMessage, quotedSender } from '../chat/selectors.ts';
import { changedMeanwhile } from '../chat/drafts.ts';
import { noticeAsRead, quoteAsRead } from '../chat/noticeForMe.ts';
import { formatDateTime, formatTime } from '../format.ts';
import { LinkifiedText } from './LinkifiedText.tsx';
import { AttachmentView } from './AttachmentView.tsx';
import { CharacterCount, measureText } from './CharacterCount.tsx';
import { focusLost } from './focusLost.ts';
import { useGrowWithText } from './growWithText.ts';
import { useKeptInView } from './keptInView.ts';
import { belongsToComposition } from './compositionKey.ts';
import { isEmojiOnly } from './emojiOnly.ts';
import { isImage } from '../chat/attachments.ts';
import { ConfirmQuestion } from './ConfirmQuestion.tsx';
import { useControlTabIndex, useMessageDescribedBy, useMessageTabIndex } from './rowFocus.ts';

interface StoredProps {
  message: Message;
  /** Follows a message of the same sender's run: the name is not repeated. */
  continued: boolean;
  mine: boolean;
  /** Shown under my own message; null under my older messages the others already read. */
  receipt: 'Seen' | 'Sent' | null;
  canDelete: boolean;
  /** The room takes new messages and edits: a closed one offers only Delete (its own rule). */
  active: boolean;
  onReply: (m: Message) => void;
  /** Scrolls to the message this one replies to (its seq). */
  onShowOriginal: (seq: number) => void;
}

export const StoredMessage = memo(function StoredMessage({ message, continued, mine, receipt, canDelete, active, onReply, onShowOriginal }: StoredProps) {
  const chat = useChat();
  // The edit lives in the room's draft: this row is unmounted when scrolled far away or when the room is left.
  const edit = useChatSelector((s) => editOf(s, message.roomId, message.id));
  const editing = edit !== null;
  // My edit saved and not confirmed yet: its text is shown, and that it is not saved yet.
  const saving = useChatSelector((s) => savingEditOf(s, message.roomId, message.id));
  const savingOffline = useChatSelector((s) => s.connection !== 'open' && savingEditOf(s, message.roomId, message.id) !== null);
  const meId = useChatSelector((s) => s.me?.id);
  // Its deletion confirmed and not answered yet (held until the socket is back, offline).
  const deleting = useChatSelector((s) => isDeleting(s, message.id));
  const deletingOffline = useChatSelector((s) => isDeleting(s, message.id) && s.connection !== 'open');
  // Pressing Edit puts the focus in the box; a box shown again (row scrolled back, room reopened) takes it only when nothing holds it.
  const [editPressed, setEditPressed] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Where keyboard focus goes once the button or form that held it is gone (else it falls to <body>).
  const focusNext = useRef<'edit' | 'delete' | 'message' | null>(null);
  const articleRef = useRef<HTMLDivElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  // The conversation's Tab stop is one message, its buttons once the keyboard is in it (rowFocus.ts).
  const tabIndex = useMessageTabIndex();
  const controlTab = useControlTabIndex();
  const describedBy = useMessageDescribedBy();
  useEffect(() => {
    const want = focusNext.current;
    if (!want) return;
    const active = document.activeElement;
    const lost = focusLost();
    // Still on the button that asked (a deletion not answered yet): wait for the next render.
    if (!lost && articleRef.current?.contains(active)) return;
    focusNext.current = null;
    if (lost) ({ edit: editRef, delete: deleteRef, message: articleRef })[want].current?.focus();
  });
  const keepMessage = () => {
    focusNext.current = 'delete';
    setConfirmDelete(false);
  };
  if (message.type === 'system') {
    return (
      <div className="system-message" role="article" aria-label="System notice" tabIndex={tabIndex} aria-describedby={describedBy}>
        <LinkifiedText text={noticeAsRead(message, meId)} />{' '}
        {/* One piece: "·" was left at a line's end with the time alone below it, or "2:05" apart from "AM". */}
        <span className="system-message-time">
          · <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>{formatTime(message.createdAt)}</time>
        </span>
      </div>
    );
  }
  const sender = mine ? 'You' : (message.sender?.displayName ?? 'Unknown');
  const deleted = message.deletedAt !== null;
  return (
    <div className={`message ${mine ? 'mine' : 'theirs'}${continued ? ' continued' : ''}`} role="article" aria-label={`From ${sender}`} ref={articleRef} tabIndex={tabIndex} aria-describedby={describedBy}>
      <div className="bubble">
        <div className="message-meta">
          {!continued && <span className="message-sender">{sender}</span>}
          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
            {formatTime(message.createdAt)}
          </time>
          {message.editedAt && !deleted && <span className="edited">(edited)</span>}
        </div>
        {message.replyTo && !deleted && <ReplyQuote reply={message.replyTo} roomId={message.roomId} onShow={onShowOriginal} />}
        {editing ? (
          <EditForm
            text={edit.text}
            // Edited elsewhere while this edit was typed: saving would replace that unseen.
            changedTo={changedMeanwhile(edit, message)}
            // Deleted meanwhile (by me elsewhere, or by support): the text stays read-only, as in a closed
            // room, until Cancel. A passing status would throw away what may be long typing (an address,
            // the key instructions) that the user may want to send again as a new message.
            unsaveable={deleted ? 'deleted' : active ? null : 'closed'}
            takeFocus={editPressed}
            emptiedNote={emptiedNote(message)}
            onChange={(text) => chat.edits.change(message.roomId, message.id, text)}
            onCancel={() => {
              // A closed room or a deleted message has no Edit button left to go back to.
              focusNext.current = active && !deleted ? 'edit' : 'message';
              setEditPressed(false);
              chat.edits.cancel(message.roomId, message.id);
            }}
            onSave={(text) => {
              focusNext.current = 'edit';
              setEditPressed(false);
              void chat.edits.save(message, text);
            }}
            // Emptied, it cannot be saved: deleting is what was meant, asked as Delete asks.
            onDelete={() => {
              setEditPressed(false);
              chat.edits.cancel(message.roomId, message.id);
              setConfirmDelete(true);
            }}
          />
        ) : deleted ? (
          // Removed by support: said so, or the sender takes it for a fault or suspects the other person.
          <p className="message-text deleted">{deletedText(message, meId)}</p>
        ) : (
          <p className={textClass(saving?.text ?? message.content)} dir="auto">
            <LinkifiedText text={saving?.text ?? message.content} />
          </p>
        )}
        {message.attachment && !deleted && <AttachmentView attachment={message.attachment} />}
      </div>
      {!deleted && !editing && (active || mine || canDelete) && (
        <div className="message-actions">
          {active && (
            <button type="button" onClick={() => onReply(message)} aria-label={`Reply to ${sender}`} tabIndex={controlTab}>
              Reply
            </button>
          )}
          {mine && active && !deleting && (
            <button
              type="button"
              ref={editRef}
              tabIndex={controlTab}
              onClick={() => {
                setEditPressed(true);
                chat.edits.start(message);
              }}
            >
              Edit
            </button>
          )}
          {(mine || canDelete) &&
            !deleting &&
            (confirmDelete ? (
              <ConfirmQuestion
                confirm="Confirm delete"
                onConfirm={() => {
                  focusNext.current = 'message';
                  // The question is answered: the row says the deletion is on its way until it is done.
                  setConfirmDelete(false);
                  void chat.deleteMessage(message.id);
                }}
                onKeep={keepMessage}
              />
            ) : (
              <button type="button" ref={deleteRef} onClick={() => setConfirmDelete(true)} tabIndex={controlTab}>
                Delete
              </button>
            ))}
        </div>
      )}
      {deleting && !deleted ? (
        <div className="delivery" role="status">
          {deletingOffline ? 'Not deleted yet: you are offline. It is deleted when the connection is back.' : 'Deleting…'}
        </div>
      ) : saving && !deleted && !editing ? (
        <div className="delivery" role="status">
          {savingOffline ? 'Not saved yet: you are offline. It is saved when the connection is back.' : 'Saving…'}
        </div>
      ) : (
        mine && receipt && <div className="delivery">{receipt}</div>
      )}
    </div>
  );
});

/**
 * What an edit emptied of its text is told (the server refuses a blank edit, even under a photo), or
 * null where empty is how the message was sent: a photo without a caption is there to be seen.
 */
function emptiedNote(message: Message): string | null {
  if (message.content.trim() === '') return null;
  if (!message.attachment) return "A message can't be empty. Delete it instead?";
  const kind = isImage(message.attachment.mime) ? 'photo' : 'file';
  return `A ${kind}'s caption can't be removed. Delete the ${kind} instead?`;
}

/** A message of a few emoji alone is shown large. */
export function textClass(text: string): string {
  return isEmojiOnly(text) ? 'message-text emoji-only' : 'message-text';
}

/** The quoted message; pressing it (click, Enter, Space: it is a button) shows the original. */
export function ReplyQuote({ reply, roomId, onShow }: { reply: ReplyRef; roomId: number; onShow: (seq: number) => void }) {
  const meId = useChatSelector((s) => s.me?.id);
  // A quoted notice may be of my own move: its actorId is on the notice, if held, not in the quote.
  const notice = useChatSelector((s) => (reply.sender === null ? heldMessage(s, roomId, reply.seq) : undefined));
  const sender = quotedSender(reply.sender, meId);
  const excerpt = quoteAsRead(reply, notice, meId) || 'Message deleted';
  const tabIndex = useControlTabIndex();
  return (
    <button
      type="button"
      className="reply-quote"
      tabIndex={tabIndex}
      aria-label={`Show the original message from ${sender}: ${excerpt}`}
      title="Show the original message"
      onClick={() => onShow(reply.seq)}
    >
      <span className="reply-sender">{sender}</span>
      <span className="reply-excerpt" dir="auto">
        {excerpt}
      </span>
    </button>
  );
}

interface EditFormProps {
  text: string;
  /**
   * Why the edit can no longer be saved (the room closed, the message was deleted), or null. Like the
   * composer's unsent draft, the text stays to be copied, until cancelled.
   */
  unsaveable: 'closed' | 'deleted' | null;
  /** What the message says now, when it was changed elsewhere since this edit began; else null. */
  changedTo: string | null;
  /** Edit was just pressed here: the box takes the focus (else only when nothing holds it). */
  takeFocus: boolean;
  /** Said, with Delete offered, once the box is emptied; null when the message was sent empty (a photo alone). */
  emptiedNote: string | null;
  onChange: (text: string) => void;
  onSave: (text: string) => void;
  onCancel: () => void;
  /** Ends the edit and asks whether to delete the message (offered when its text is emptied). */
  onDelete: () => void;
}

const UNSAVEABLE_REASON = {
  closed: 'This chat closed before your edit was saved.',
  deleted: 'This message was deleted before your edit was saved.',
} as const;

function EditForm({ text, unsaveable, changedTo, takeFocus, emptiedNote, onChange, onSave, onCancel, onDelete }: EditFormProps) {
  const countId = useId();
  const changedId = useId();
  const emptyId = useId();
  const boxRef = useRef<HTMLTextAreaElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const actionsRef = useRef<HTMLDivElement>(null);
  const tabIndex = useControlTabIndex();
  useGrowWithText(boxRef, text);
  useKeptInView(formRef, actionsRef);
  const measured = measureText(text);
  const closed = unsaveable !== null;
  const blank = text.trim() === '';
  // Save goes grey with the text gone: said why, and what to do instead (not of a photo sent without words).
  const emptied = !closed && blank && emptiedNote !== null;
  const canSave = !closed && !blank && !measured.tooLong;
  const save = () => {
    if (canSave) onSave(text);
  };
  // Shown again (its row scrolled back into the list, the room reopened), the box does not pull the
  // focus away from where it is, e.g. the message box; nor does it scroll the list to itself.
  const focusOnShow = useRef(takeFocus);
  useEffect(() => {
    if (focusOnShow.current || focusLost()) boxRef.current?.focus({ preventScroll: true });
    // Edit just pressed: the whole form comes into view, Save too (a text of many lines grows it past the list's end).
    if (focusOnShow.current) formRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  return (
    <form
      ref={formRef}
      className={closed ? 'edit-form closed' : 'edit-form'}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      {unsaveable && (
        <p className="edit-closed" role="alert">
          {UNSAVEABLE_REASON[unsaveable]}
        </p>
      )}
      {/* The same box in every state: closing the room does not take the focus or the selection away. */}
      <textarea
        ref={boxRef}
        tabIndex={tabIndex}
        aria-label={closed ? 'Not saved (copy it if you need it)' : 'Edit text'}
        dir="auto"
        value={text}
        readOnly={closed}
        aria-invalid={measured.tooLong || undefined}
        aria-describedby={[emptied && emptyId, changedTo !== null && changedId, measured.counted && countId].filter(Boolean).join(' ') || undefined}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          // The input method's own Enter and Escape (confirming or dropping a word) neither save nor cancel.
          if (belongsToComposition(e)) return;
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          }
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            save();
          }
        }}
      />
      {changedTo !== null && (
        // The user's text stays: they choose to save it over the new one, copy from it, or cancel.
        <p id={changedId} className="edit-changed" role="status">
          Changed elsewhere while you were editing. It now says: <q dir="auto">{changedTo}</q>
          {closed ? '' : ' Saving replaces it with your text.'}
        </p>
      )}
      {/* Mounted empty from the start: a live region mounted with its text is often not announced. */}
      <p id={emptyId} className="edit-empty" aria-live="polite">
        {emptied ? emptiedNote : null}
      </p>
      <CharacterCount id={countId} measured={measured} verb="save" />
      <div className="edit-actions" ref={actionsRef}>
        {!closed && (
          <button type="submit" disabled={!canSave} tabIndex={tabIndex}>
            Save
          </button>
        )}
        <button type="button" onClick={onCancel} tabIndex={tabIndex}>
          Cancel
        </button>
        {emptied && (
          <button type="button" onClick={onDelete} tabIndex={tabIndex}>
            Delete
          </button>
        )}
      </div>
    </form>
  );
}
