/**
 * A message of mine not stored yet: "Sending…" (offline: waiting for the connection), or "Not sent"
 * with Retry. Either may be discarded, after a Confirm as Delete asks, while the server cannot hold
 * it (unsentMessages.ts); one that went on the socket and may be stored offers no Discard while it is
 * on its way (on the socket now), but does while it waits for the connection to go again (typed in a
 * lift) and once Retry does not settle it (the server keeps failing it): Discard then asks first whether
 * to stop sending something that may have been delivered, as it does whenever another tab of mine is open.
 */
import { useEffect, useRef, useState } from 'react';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { canDiscard, type PendingMessage } from '../chat/unsentMessages.ts';
import { formatDateTime, formatTime } from '../format.ts';
import { LinkifiedText } from './LinkifiedText.tsx';
import { AttachmentView } from './AttachmentView.tsx';
import { ReplyQuote, textClass } from './MessageBubble.tsx';
import { focusLost } from './focusLost.ts';
import { ConfirmQuestion } from './ConfirmQuestion.tsx';
import { useControlTabIndex, useMessageDescribedBy, useMessageTabIndex } from './rowFocus.ts';

/**
 * Discarding one that may be stored takes it out of this tab only: a copy the server holds still shows. So
 * with another tab of mine open, which may hold a copy and have written it (a duplicated tab: otherTabs.ts).
 */
const MAY_HAVE_BEEN_DELIVERED = 'Stop sending? It may already have been delivered; if so it will still show in the conversation.';

interface PendingProps {
  pending: PendingMessage;
  /** Follows a message of mine close before it: "You" is not repeated. */
  continued: boolean;
  /** The room takes new messages: a failed one in a closed room can only be discarded (its text stays to be copied). */
  active: boolean;
  onShowOriginal: (seq: number) => void;
}

export function PendingBubble({ pending, continued, active, onShowOriginal }: PendingProps) {
  const chat = useChat();
  const failed = pending.status === 'failed';
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const articleRef = useRef<HTMLDivElement>(null);
  const discardRef = useRef<HTMLButtonElement>(null);
  // One message of the conversation's Tab order, like a stored one (rowFocus.ts).
  const tabIndex = useMessageTabIndex();
  const controlTab = useControlTabIndex();
  const describedBy = useMessageDescribedBy();
  // Keep takes the question's buttons away: focus goes back to the Discard that asked it.
  const backToDiscard = useRef(false);
  useEffect(() => {
    if (!backToDiscard.current || confirmDiscard) return;
    backToDiscard.current = false;
    discardRef.current?.focus();
  });
  // Retry and Discard take their own buttons away: focus goes to the room's message box, not to <body>;
  // a closed room has none, so to the conversation itself (which hands it on to a message: useMessageKeys).
  const focusBox = (conversation = articleRef.current?.closest<HTMLElement>('[role="log"]')) =>
    (document.getElementById(`composer-${pending.roomId}`) ?? conversation)?.focus();
  const thenFocusBox = (action: () => void) => () => {
    const conversation = articleRef.current?.closest<HTMLElement>('[role="log"]');
    action();
    focusBox(conversation);
  };
  // Written meanwhile (the socket came back) while Discard's question was open: it is on its way, so the
  // question goes, and is not asked again by itself (grabbing the focus) should the server refuse it later.
  const connection = useChatSelector((s) => s.connection);
  const discardable = canDiscard(pending, connection);
  useEffect(() => {
    if (discardable || !confirmDiscard) return;
    setConfirmDiscard(false);
    // Focus fell to <body> with the question's buttons: to the box, as after Confirm discard.
    if (focusLost()) focusBox();
  });
  const keep = () => {
    backToDiscard.current = true;
    setConfirmDiscard(false);
  };
  // A failed one that may be stored (no answer in time) is settled by Retry even in a closed room: its ack, or a refusal.
  const retry = failed && (active || pending.mayBeStored) && (
    <>
      <button type="button" onClick={thenFocusBox(() => chat.retry(pending.roomId, pending.clientId))} tabIndex={controlTab}>
        Retry
      </button>{' '}
    </>
  );
  const discard =
    !discardable ? null : confirmDiscard ? (
      <ConfirmQuestion
        confirm="Confirm discard"
        question={pending.mayBeStored || chat.copyMayBeElsewhere(pending.clientId) ? MAY_HAVE_BEEN_DELIVERED : undefined}
        onConfirm={thenFocusBox(() => chat.discard(pending.roomId, pending.clientId))}
        onKeep={keep}
      />
    ) : (
      <button type="button" ref={discardRef} onClick={() => setConfirmDiscard(true)} tabIndex={controlTab}>
        Discard
      </button>
    );
  return (
    <div className={`message mine ${failed ? 'failed' : 'pending'}${continued ? ' continued' : ''}`} role="article" aria-label="From You" ref={articleRef} tabIndex={tabIndex} aria-describedby={describedBy}>
      <div className="bubble">
        <div className="message-meta">
          {!continued && <span className="message-sender">You</span>}
          <time dateTime={pending.createdAt} title={formatDateTime(pending.createdAt)}>
            {formatTime(pending.createdAt)}
          </time>
        </div>
        {pending.replyTo && <ReplyQuote reply={pending.replyTo} roomId={pending.roomId} onShow={onShowOriginal} />}
        {pending.content !== '' && (
          <p className={textClass(pending.content)} dir="auto">
            <LinkifiedText text={pending.content} />
          </p>
        )}
        {pending.attachment && <AttachmentView attachment={pending.attachment} />}
      </div>
      {failed ? (
        <div className="delivery failed" role="alert">
          Not sent{pending.error ? `: ${pending.error}` : ''}.{' '}
          {retry}
          {discard}
        </div>
      ) : (
        <div className="delivery">Sending…{discard && ' '}{discard}</div>
      )}
    </div>
  );
}
