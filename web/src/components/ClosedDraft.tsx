/**
 * The message box of a closed chat (its job completed or cancelled, the grace passed). A draft left
 * in it was never sent (Send clears the box; a sent message the closed room refused shows in the
 * conversation): it is said so, the file picked for it named, the text kept where it can be copied,
 * until the user discards it.
 */
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { attachmentKind } from '../chat/attachments.ts';
import { draftOf } from '../chat/store.ts';

export function ClosedDraft({ roomId }: { roomId: number }) {
  const chat = useChat();
  const { text, attachment } = useChatSelector((s) => draftOf(s, roomId));
  const hasText = text.trim() !== '';
  if (!hasText && !attachment) return <p className="composer-closed">This chat is closed. You can still read the conversation.</p>;

  const kind = attachment && attachmentKind(attachment.uploaded?.mime, attachment.name);
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
