/**
 * What an uploaded file is, decided by its first bytes (never by the
 * client's Content-Type): PNG, JPEG, GIF, WebP images and PDF documents.
 */
import type { AttachmentMime } from '@ecc/protocol';

export interface DetectedType {
  mime: AttachmentMime;
  isImage: boolean;
}

/** Bytes needed to decide. */
export const SNIFF_BYTES = 12;

const startsWith = (buf: Buffer, bytes: number[], offset = 0) => bytes.every((b, i) => buf[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The file's type, or null when it is not an accepted kind. */
export function detectFileType(head: Buffer): DetectedType | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', isImage: true };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', isImage: true };
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return { mime: 'image/gif', isImage: true };
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return { mime: 'image/webp', isImage: true };
  if (startsWith(head, ascii('%PDF-'))) return { mime: 'application/pdf', isImage: false };
  return null;
}

const MAX_NAME_CHARS = 120;

const EXTENSIONS: Record<AttachmentMime, readonly string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
};

/**
 * Removed from names: control characters, the characters Windows refuses in
 * names, and every default-ignorable one — all bidi marks and overrides
 * (U+061C, U+200E/F, U+202A–E, U+2066–9), zero-width and other invisible
 * characters (U+200B, U+2060, U+00AD, U+FEFF, fillers, tags), which would
 * let a name hide or reorder what it holds.
 */
const REMOVED_FROM_NAMES = /[\p{Cc}\p{Default_Ignorable_Code_Point}"<>:|?*]/gu;
/** Invisible, yet needed to write emoji (👩‍🔧, ❤️) and some scripts (Persian, Indic): kept. */
const KEPT_IGNORABLES = new Set(['\u200c', '\u200d', ...Array.from({ length: 16 }, (_, i) => String.fromCharCode(0xfe00 + i))]);

/**
 * A safe display name: no directories, no control, bidi or other invisible
 * characters, no leading dots, at most 120 characters, ending in an
 * extension of the stored type — `notes.html` holding a PDF becomes
 * `notes.html.pdf`, so a saved copy never opens as something else.
 */
export function sanitizeFileName(raw: string, type: DetectedType): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = base.normalize('NFC').replace(REMOVED_FROM_NAMES, (c) => (KEPT_IGNORABLES.has(c) ? c : ''));
  name = name.replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  const allowed = EXTENSIONS[type.mime];
  const dot = name.lastIndexOf('.');
  const fits = dot > 0 && allowed.includes(name.slice(dot + 1).toLowerCase());
  const stem = fits ? name.slice(0, dot) : name;
  const extension = fits ? name.slice(dot) : `.${allowed[0] ?? 'bin'}`;
  const room = MAX_NAME_CHARS - [...extension].length;
  const capped = [...stem].slice(0, room).join('').trim();
  return (capped === '' ? 'attachment' : capped) + extension;
}

/** Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
