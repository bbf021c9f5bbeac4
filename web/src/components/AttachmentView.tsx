/**
 * A message's attachment: an image as an inline preview that opens full size
 * in a new tab, anything else (PDF) as a 📎 link. The file name is text only.
 */
import { useEffect, useState } from 'react';
import type { Attachment } from '@ecc/protocol';
import { isImage, photoBox } from '../chat/attachments.ts';
import { useControlTabIndex } from './rowFocus.ts';

/** Loads of a preview that failed (offline, server restarting) are retried this often, backing off. */
const IMAGE_RETRIES = 6;
const FIRST_RETRY_MS = 2000;

export function AttachmentView({ attachment }: { attachment: Attachment }) {
  const tabIndex = useControlTabIndex();
  const href = safeHref(attachment.url);
  if (!href) return <span className="attachment">📎 {attachment.name}</span>;
  if (isImage(attachment.mime)) {
    const { width, height } = attachment;
    return <ImagePreview href={href} name={attachment.name} box={width && height ? photoBox(width, height) : null} />;
  }
  return (
    <a className="attachment" href={href} target="_blank" rel="noopener noreferrer" tabIndex={tabIndex}>
      📎 {attachment.name}
    </a>
  );
}

/**
 * A photo that first came into view while the connection was down would stay
 * a broken image: a failed load is tried again when the browser is back
 * online, and otherwise after 2, 4, 8… seconds (a server restart). One the
 * server says is gone (deleted with its message, not this user's) is not
 * asked for again: it is named as no longer available.
 *
 * With its size known (`box`), the photo's own shape is kept from before it
 * loads, so its row does not grow when it arrives; without (older messages),
 * the fixed box of `.attachment-image img`.
 */
function ImagePreview({ href, name, box }: { href: string; name: string; box: { width: number; height: number } | null }) {
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  const [gone, setGone] = useState(false);
  const tabIndex = useControlTabIndex();
  const onError = () => {
    setFailed(true);
    // An <img> does not say why it failed: ask for the headers alone.
    void isGone(href).then((yes) => yes && setGone(true));
  };
  useEffect(() => {
    if (!failed || gone || attempt >= IMAGE_RETRIES) return;
    const retry = () => {
      setFailed(false);
      setAttempt((n) => n + 1);
    };
    const timer = setTimeout(retry, FIRST_RETRY_MS * 2 ** attempt);
    window.addEventListener('online', retry);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('online', retry);
    };
  }, [failed, gone, attempt]);
  if (gone) return <span className="attachment">📎 {name} (no longer available)</span>;
  return (
    <a className="attachment-image" href={href} target="_blank" rel="noopener noreferrer" tabIndex={tabIndex}>
      {/* A new element per attempt: the browser does not load the same src again. */}
      <img
        key={attempt}
        src={href}
        alt={name}
        loading="lazy"
        onError={onError}
        className={box ? 'fitted' : undefined}
        style={box ? { width: box.width, aspectRatio: `${box.width} / ${box.height}` } : undefined}
      />
    </a>
  );
}

/** The server answers that the file is not there for this user (a passing failure is not that). */
async function isGone(href: string): Promise<boolean> {
  try {
    const res = await fetch(href, { method: 'HEAD', cache: 'no-store' });
    return res.status === 403 || res.status === 404 || res.status === 410;
  } catch {
    return false;
  }
}

/** The url when it is the server's own path or http(s); null for anything else (javascript:, data:). */
function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}
