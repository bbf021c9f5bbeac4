/**
 * The message box of a closed chat (its job completed or cancelled, the grace passed). A draft left
 * in it was never sent (Send clears the box; a sent message the closed room refused shows in the
 * conversation): it is said so, the file picked for it named, the text kept where it can be copied,
 * until the user discards it.
 */
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { isImage } from '../chat/attachments.ts';
import { draftOf, type DraftAttachment } from '../chat/store.ts';

export function ClosedDraft({ roomId }: { roomId: number }) {
  const chat = useChat();
  const { text, attachment } = useChatSelector((s) => draftOf(s, roomId));
  const hasText = text.trim() !== '';
  if (!hasText && !attachment) return <p className="composer-closed">This chat is closed. You can still read the conversation.</p>;

  const kind = attachment && kindOf(attachment);
  const file = attachment && `your ${kind} “${attachment.name}”`;
  const what = hasText ? (file ? `your draft and ${file} were` : 'your draft was') : `${file} was`;
  const discard = () => {
    // Rooms only ever close: the file can never be sent. Its upload is taken back here, once the user
    // has read this (taken back at once, the notice would go with it, and a reload would forget it).
    if (attachment) chat.uploads.remove(roomId);
    chat.setDraft(roomId, '');
  };
  return (
    <div className="composer-closed">
      <p>This chat closed; {what} not sent. You can still read the conversation.</p>
      {hasText && (
        <label className="composer-unsent">
          Not sent (copy it if you need it)
          <textarea readOnly value={text} rows={3} />
        </label>
      )}
      <button type="button" onClick={discard}>
        {`Discard ${[hasText && 'text', kind].filter(Boolean).join(' and ')}`}
      </button>
    </div>
  );
}

/** "photo", "PDF" or "file": by the type the server found, else (not uploaded) by the name's ending. */
function kindOf(attachment: DraftAttachment): string {
  const mime = attachment.uploaded?.mime;
  if (mime) return isImage(mime) ? 'photo' : mime === 'application/pdf' ? 'PDF' : 'file';
  if (/\.pdf$/i.test(attachment.name)) return 'PDF';
  return /\.(png|jpe?g|gif|webp)$/i.test(attachment.name) ? 'photo' : 'file';
}
