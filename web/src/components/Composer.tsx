/** The message box: Enter sends, Shift+Enter adds a line; announces typing; shows the message being replied to and the attached file. */
import { useEffect, useRef, useState } from 'react';
import type { Message } from '@ecc/protocol';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { quotedSender, quoteOf } from '../chat/selectors.ts';
import { draftOf } from '../chat/store.ts';
import { ATTACHMENT_ACCEPT, formatFileSize } from '../chat/attachments.ts';
import { CharacterCount, measureText } from './CharacterCount.tsx';
import { FileName } from './FileName.tsx';
import { UploadingState, UploadProgressBar } from './UploadProgress.tsx';
import { ClosedDraft } from './ClosedDraft.tsx';
import { pastedFiles } from './pastedFiles.ts';
import { belongsToComposition } from './compositionKey.ts';
import { typesOnScreen } from './onScreenKeyboard.ts';
import { useGrowWithText } from './growWithText.ts';

/** Typing stops being announced after this long without a keystroke. */
const TYPING_IDLE_MS = 4000;

interface Props {
  roomId: number;
  replyTo: Message | null;
  onCancelReply: () => void;
  disabled: boolean;
}

export function Composer({ roomId, replyTo, onCancelReply, disabled }: Props) {
  const chat = useChat();
  // The draft lives in the chat store: this component is unmounted whenever the room is left.
  const { text, attachment } = useChatSelector((s) => draftOf(s, roomId));
  const meId = useChatSelector((s) => s.me?.id);
  const idleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  useGrowWithText(inputRef, text);

  // Keyed by id: the quoted message edited meanwhile is the same reply, and must not take the focus.
  const replyId = replyTo?.id;
  useEffect(() => {
    if (replyId !== undefined) inputRef.current?.focus();
  }, [replyId]);

  useEffect(
    () => () => {
      clearTimeout(idleTimer.current);
      chat.setTyping(roomId, false);
    },
    [chat, roomId],
  );

  const measured = measureText(text);
  const tooLong = measured.tooLong;
  const countId = `composer-count-${roomId}`;
  const replyNoteId = `composer-reply-${roomId}`;
  // The box is described by what it answers (a screen reader hears it on entering the box, as the eye sees it above) and by the count.
  const describedBy = [replyTo && replyNoteId, measured.counted && countId].filter(Boolean).join(' ') || undefined;

  const uploaded = attachment?.status === 'ready' ? attachment.uploaded ?? undefined : undefined;
  const uploading = attachment?.status === 'uploading';
  // The text is optional with a file; a file still uploading holds the message back.
  const canSend = (text.trim() !== '' || uploaded !== undefined) && !tooLong && !uploading;

  // Enter pressed while the file uploads: the message goes once it has uploaded (ignored, it was left unsent unnoticed).
  const [sendOnUpload, setSendOnUpload] = useState(false);
  const send = () => {
    if (disabled) return;
    if (uploading && !tooLong) {
      setSendOnUpload(true);
      return;
    }
    if (!canSend) return;
    chat.sendMessage(roomId, text, replyTo ?? undefined, uploaded);
    clearTimeout(idleTimer.current);
    onCancelReply();
    // Send disables itself once the box is empty; without this, keyboard focus is lost.
    inputRef.current?.focus();
  };

  const uploadStatus = attachment?.status;
  useEffect(() => {
    if (!sendOnUpload || uploadStatus === 'uploading') return;
    setSendOnUpload(false);
    // Failed or removed meanwhile: nothing goes, the text stays (the chip says why).
    if (uploadStatus === 'ready') send();
    // Only the upload's outcome sends; `send` is this render's, with the text as it is now.
  }, [sendOnUpload, uploadStatus]);

  if (disabled) return <ClosedDraft roomId={roomId} />;

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {replyTo && (
        <div className="composer-reply">
          {/* The quote in a box of its own direction: a right-to-left one, cut in the line's left-to-right order, showed only its end. */}
          <span id={replyNoteId} className="composer-reply-note">
            Replying to <strong>{quotedSender(replyTo.sender, meId)}</strong>:{' '}
            <span className="composer-reply-quote" dir="auto">
              {quoteOf(replyTo)}
            </span>
          </span>
          <button type="button" onClick={onCancelReply} aria-label="Cancel reply">
            ×
          </button>
        </div>
      )}
      {attachment && (
        <div className={`composer-attachment ${attachment.status}`} role="group" aria-label="Attached file">
          <FileName name={attachment.name} className="composer-attachment-name" />
          <span className="composer-attachment-state" role={attachment.status === 'failed' ? 'alert' : 'status'}>
            {attachment.status === 'uploading' ? (
              <UploadingState progress={attachment.progress} />
            ) : attachment.status === 'failed' ? (
              attachment.error
            ) : (
              formatFileSize(attachment.size)
            )}
          </span>
          {attachment.status === 'uploading' && <UploadProgressBar name={attachment.name} progress={attachment.progress} />}
          {attachment.retryFile && (
            // Also tried again by itself once the connection is back.
            <button type="button" className="composer-attachment-retry" onClick={() => chat.uploads.retry(roomId)} aria-label={`Retry upload of ${attachment.name}`}>
              Retry
            </button>
          )}
          <button type="button" onClick={() => chat.uploads.remove(roomId)} aria-label={`Remove ${attachment.name}`}>
            ×
          </button>
        </div>
      )}
      {sendOnUpload && uploading && attachment && (
        <p className="composer-send-wait" role="status">
          Sends once {attachment.name} has uploaded.
        </p>
      )}
      <div className="composer-row">
        <label className="attach-button" title="Attach a photo or PDF">
          <input
            type="file"
            className="visually-hidden"
            aria-label="Attach a photo or PDF"
            accept={ATTACHMENT_ACCEPT}
            onChange={(e) => {
              const file = e.target.files?.[0];
              // Cleared so picking the same file again still fires a change.
              e.target.value = '';
              if (file) void chat.uploads.attach(roomId, file);
              inputRef.current?.focus();
            }}
          />
          <span aria-hidden="true">📎</span>
        </label>
        <label htmlFor={`composer-${roomId}`} className="visually-hidden">
          Message
        </label>
        <textarea
          id={`composer-${roomId}`}
          ref={inputRef}
          rows={1}
          // Enter sends: a phone's keyboard labels its Enter key so ("Send"), not as a new line.
          enterKeyHint="send"
          dir="auto"
          value={text}
          aria-invalid={tooLong || undefined}
          aria-describedby={describedBy}
          placeholder={attachment ? 'Add a message (optional)…' : 'Write a message…'}
          // Not on a touch screen: the keyboard it raises would cover the conversation (ChatRoom focuses its name).
          autoFocus={!typesOnScreen()}
          onPaste={(e) => {
            const files = pastedFiles(e.clipboardData);
            if (files.length === 0) return;
            e.preventDefault();
            chat.uploads.attachAll(roomId, files);
          }}
          onChange={(e) => {
            chat.setDraft(roomId, e.target.value);
            chat.setTyping(roomId, e.target.value.length > 0);
            clearTimeout(idleTimer.current);
            idleTimer.current = setTimeout(() => chat.setTyping(roomId, false), TYPING_IDLE_MS);
          }}
          onKeyDown={(e) => {
            // The input method's own Enter and Escape (confirming or dropping a word) neither send nor cancel.
            if (belongsToComposition(e)) return;
            if (e.key === 'Escape' && replyTo) {
              // Escape drops the reply first; a second one closes the panel.
              e.preventDefault();
              onCancelReply();
            }
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" className="send-button" disabled={!canSend}>
          Send
        </button>
      </div>
      <CharacterCount id={countId} measured={measured} verb="send" />
    </form>
  );
}
