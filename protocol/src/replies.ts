/**
 * The excerpt a reply carries of the message it answers (`replyTo.excerpt`):
 * made by the server when it stores the reply, and by the web app for the
 * reply it shows while that is being sent, so the two never differ.
 */
import { cutWhole } from './chars.ts';
import type { Message } from './shapes.ts';

/** Longest excerpt, in UTF-16 units as the server cuts it. */
export const REPLY_EXCERPT_CHARS = 100;

/** The answered message's text, cut short; for a photo or file without text, what it is; empty once deleted. */
export function replyExcerpt(target: Pick<Message, 'type' | 'content' | 'deletedAt'>): string {
  if (target.deletedAt) return '';
  if (target.content) return cutWhole(target.content, REPLY_EXCERPT_CHARS);
  if (target.type === 'image') return '📷 Photo';
  if (target.type === 'file') return '📎 File';
  return '';
}
