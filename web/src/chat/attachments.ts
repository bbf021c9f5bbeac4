/** What the composer accepts as an attachment: the contract's file types and size limit. */
import { ATTACHMENT_MIME_TYPES, DEFAULT_LIMITS, IMAGE_MIME_TYPES } from '@ecc/protocol';

const IMAGE_TYPES: ReadonlySet<string> = new Set(IMAGE_MIME_TYPES);
const ATTACHMENT_TYPES: ReadonlySet<string> = new Set(ATTACHMENT_MIME_TYPES);
/** The image types' usual file endings. */
const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.webp'];
/**
 * For `<input type="file" accept>`: the types, and their files' extensions for systems whose picker
 * knows no type for a file (it would grey out a .jpg it cannot map to image/jpeg).
 */
export const ATTACHMENT_ACCEPT = [...ATTACHMENT_TYPES, ...IMAGE_EXTENSIONS, '.pdf'].join(',');
export const MAX_ATTACHMENT_BYTES = DEFAULT_LIMITS.maxAttachmentBytes;

/** Shown for a file refused by type or size, here or by the server (413, 415). */
export const ATTACHMENT_RULES = 'Only photos (PNG, JPEG, GIF, WebP) and PDFs up to 10 MB';

/**
 * Why a file cannot be attached, or null when it can. A file the browser gives no type (some file
 * managers do, for a .jpg or a .pdf) goes up: the server decides by its first bytes, not its name.
 */
export function attachmentProblem(file: { type: string; size: number }): string | null {
  const typeAccepted = file.type === '' || ATTACHMENT_TYPES.has(file.type);
  if (!typeAccepted) return ATTACHMENT_RULES;
  return file.size > MAX_ATTACHMENT_BYTES ? tooLarge(file.size) : null;
}

/**
 * A photo of the right type refused for its size: the rules alone ("photos … up to 10 MB") left
 * people wondering what was wrong with their PNG. Rounded up, so a file just over is not "10.0 MB".
 */
export function tooLarge(bytes: number): string {
  const mb = Math.ceil((bytes / (1024 * 1024)) * 10) / 10;
  return `Too large to send (${mb.toFixed(1)} MB): files can be up to ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MB`;
}

export function isImage(mime: string): boolean {
  return IMAGE_TYPES.has(mime);
}

/** The largest a photo is shown in a message, either way (CSS px): it opens full size from there. */
const PHOTO_MAX_PX = 240;
/** The smallest box a photo is shown in, either way: a tiny image is still seen and tapped (centred, not blown up). */
const PHOTO_MIN_PX = 48;

/**
 * The box (CSS px) for a photo of `width`×`height` pixels: its own shape within 240×240, never larger
 * than the photo itself, at least 48 px a side (then the photo sits in it at its own shape, `scale-down`).
 */
export function photoBox(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, PHOTO_MAX_PX / width, PHOTO_MAX_PX / height);
  return { width: Math.max(PHOTO_MIN_PX, width * scale), height: Math.max(PHOTO_MIN_PX, height * scale) };
}

/** "photo", "PDF" or "file": by the type the server found, else (not uploaded yet) by the name's ending. */
export function attachmentKind(mime: string | undefined, name: string): 'photo' | 'PDF' | 'file' {
  if (mime) return isImage(mime) ? 'photo' : mime === 'application/pdf' ? 'PDF' : 'file';
  const lower = name.toLowerCase();
  if (lower.endsWith('.pdf')) return 'PDF';
  return IMAGE_EXTENSIONS.some((ending) => lower.endsWith(ending)) ? 'photo' : 'file';
}

/** 2_400_000 → "2.3 MB", 5_000 → "5 KB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
