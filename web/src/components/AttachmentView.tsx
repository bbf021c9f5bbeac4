/**
 * A message's attachment: an image as an inline preview that opens full size
 * in a new tab, anything else (PDF) as a 📎 link. The file name is text only.
 */
import type { Attachment } from '@ecc/protocol';
import { isImage } from '../chat/attachments.ts';

export function AttachmentView({ attachment }: { attachment: Attachment }) {
  const href = safeHref(attachment.url);
  if (!href) return <span className="attachment">📎 {attachment.name}</span>;
  if (isImage(attachment.mime)) {
    return (
      <a className="attachment-image" href={href} target="_blank" rel="noopener noreferrer">
        <img src={href} alt={attachment.name} loading="lazy" />
      </a>
    );
  }
  return (
    <a className="attachment" href={href} target="_blank" rel="noopener noreferrer">
      📎 {attachment.name}
    </a>
  );
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
