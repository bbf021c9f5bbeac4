/**
 * An uploaded image's size in pixels as browsers show it, read from its header: PNG's IHDR, GIF's
 * logical screen, WebP's VP8/VP8L/VP8X header, JPEG's frame header (SOF) — a PNG or JPEG turned
 * a quarter by its EXIF orientation 5–8 (width and height swapped), as every browser draws it by
 * default (`image-orientation: from-image`): the file is stored as sent, never rotated here. The
 * Exif read is the one Chromium reads: a PNG's first eXIf chunk with a sound CRC before the image
 * data (IDAT); a JPEG's first APP1 "Exif", 0, any pad byte, before the image data (SOS), ahead of
 * the frame header or after it. WebP's EXIF is not read: Chromium ignores it too.
 *
 * Nothing in the file is trusted: each read is at most 64 KiB (one JPEG segment, one PNG chunk
 * header or eXIf), at most MAX_JPEG_SEGMENTS segments or MAX_PNG_CHUNKS chunks are walked, and a
 * length that runs past its segment or the file, a size of 0 or anything unexpected gives null
 * (size unknown: the web app then shows the photo as before).
 */
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { INT32_MAX, type AttachmentMime } from '@ecc/protocol';

export interface ImageSize {
  width: number;
  height: number;
}

/** Up to `length` bytes of the file from `offset`: fewer at its end. */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

/** The header bytes a GIF or WebP keeps its size in (WebP's VP8X, the furthest, ends at 30). */
const HEAD_BYTES = 32;
/**
 * JPEG segments looked at before the image data, fill bytes counted: a camera's file has ten or
 * so (APP0/APP1/APP2…, DQT, SOF, DHT); a crafted one of thousands of empty segments ends here.
 */
const MAX_JPEG_SEGMENTS = 512;
/**
 * PNG chunks looked at between IHDR and the image data: an encoder writes a handful (sRGB, gAMA,
 * pHYs, iCCP, tEXt…); a crafted file of thousands ends here.
 */
const MAX_PNG_CHUNKS = 512;
/** The longest eXIf chunk read (with its type and CRC, one 64 KiB read, as a JPEG segment); a real one is a few KiB. */
const MAX_PNG_EXIF = 0xffff - 8;

/** `read`'s image size, or null when its header does not say it plainly. */
export async function readImageSize(read: ReadAt, mime: AttachmentMime): Promise<ImageSize | null> {
  if (mime === 'image/jpeg') return jpegSize(read);
  if (mime === 'image/png') return pngSize(read);
  const head = await read(0, HEAD_BYTES);
  if (mime === 'image/gif') return head.length < 10 ? null : sized(head.readUInt16LE(6), head.readUInt16LE(8));
  if (mime === 'image/webp') return webpSize(head);
  return null;
}

/** The size of the image stored at `filePath`; null when unknown. */
export async function imageSizeOfFile(filePath: string, mime: AttachmentMime): Promise<ImageSize | null> {
  const file = await open(filePath, 'r');
  try {
    return await readImageSize(async (offset, length) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    }, mime);
  } finally {
    await file.close();
  }
}

function sized(width: number, height: number): ImageSize | null {
  const fits = (n: number) => Number.isInteger(n) && n >= 1 && n <= INT32_MAX;
  return fits(width) && fits(height) ? { width, height } : null;
}

/** `size` as drawn with EXIF orientation `orientation`: 5–8 turn it a quarter. */
const turned = (size: ImageSize, orientation = 1): ImageSize => (orientation >= 5 ? { width: size.height, height: size.width } : size);

async function pngSize(read: ReadAt): Promise<ImageSize | null> {
  // The signature (8 bytes), then the IHDR chunk: length 13, "IHDR", width, height (big-endian), 5 bytes more, CRC.
  const head = await read(0, 24);
  if (head.length < 24 || head.readUInt32BE(8) !== 13 || head.toString('latin1', 12, 16) !== 'IHDR') return null;
  const size = sized(head.readUInt32BE(16), head.readUInt32BE(20));
  if (!size) return null;
  let orientation: number | undefined;
  let offset = 8 + 12 + 13;
  // Up to the image data (IDAT): Chromium reads an eXIf only before it, as the format puts it.
  for (let chunk = 0; chunk < MAX_PNG_CHUNKS; chunk++) {
    const header = await read(offset, 8);
    if (header.length < 8) return null;
    const length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (length > INT32_MAX || !/^[A-Za-z]{4}$/.test(type)) return null;
    if (type === 'IDAT') return turned(size, orientation);
    if (type === 'IEND') return null;
    if (type === 'eXIf' && orientation === undefined) {
      if (length > MAX_PNG_EXIF) return null;
      const body = await read(offset + 4, 4 + length + 4); // type, data, CRC
      if (body.length < length + 8) return null;
      // As in Chromium: one whose CRC is wrong is passed over; the first sound one counts, whatever it holds.
      if (crc32(body.subarray(0, 4 + length)) === body.readUInt32BE(4 + length)) orientation = exifOrientation(body.subarray(4, 4 + length));
    }
    offset += 12 + length;
  }
  return null;
}

function webpSize(head: Buffer): ImageSize | null {
  if (head.length < 30) return null;
  const chunk = head.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') {
    // Lossy: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height (2 scaling bits above).
    if (head[23] !== 0x9d || head[24] !== 0x01 || head[25] !== 0x2a) return null;
    return sized(head.readUInt16LE(26) & 0x3fff, head.readUInt16LE(28) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    // Lossless: the signature 0x2f, then width − 1 and height − 1 in 14 bits each.
    if (head[20] !== 0x2f) return null;
    const bits = head.readUInt32LE(21);
    return sized((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  // Extended (animation, alpha, metadata): the canvas's width − 1 and height − 1 in 24 bits each.
  if (chunk === 'VP8X') return sized(head.readUIntLE(24, 3) + 1, head.readUIntLE(27, 3) + 1);
  return null;
}

/** What an Exif APP1 segment starts with, before its pad byte: "Exif", 0. */
const EXIF_HEADER = Buffer.from('Exif\0', 'latin1');

/** Start-of-frame markers (baseline, progressive, lossless…): not DHT (c4), JPG (c8) or DAC (cc). */
const isFrameHeader = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

async function jpegSize(read: ReadAt): Promise<ImageSize | null> {
  let offset = 2; // past SOI (ff d8)
  let size: ImageSize | null = null;
  let orientation: number | undefined;
  // Walked up to the image data (SOS), as Chromium does: an Exif segment may follow the frame header.
  for (let segment = 0; segment < MAX_JPEG_SEGMENTS; segment++) {
    const head = await read(offset, 4);
    if (head.length < 2 || head[0] !== 0xff) return null;
    const marker = head[1] as number;
    if (marker === 0xff) {
      offset += 1; // a fill byte before the marker
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += 2; // markers standing alone (TEM, RSTn, SOI)
      continue;
    }
    // The image data: the size is known once a frame header came before it.
    if (marker === 0xda) return size && turned(size, orientation);
    // The end (EOI) before any image data: not a JPEG a browser shows.
    if (marker === 0xd9 || head.length < 4) return null;
    const length = head.readUInt16BE(2); // counts itself, not the marker
    if (length < 2) return null;
    if (isFrameHeader(marker)) {
      // A second frame header makes the file one Chromium refuses.
      if (size || length < 7) return null;
      // Precision (1 byte), height, width. A height of 0 is given later (DNL): not worth following.
      const frame = await read(offset + 4, 5);
      if (frame.length < 5) return null;
      size = sized(frame.readUInt16BE(3), frame.readUInt16BE(1));
      if (!size) return null;
    }
    // Chromium reads the first APP1 holding more than its header "Exif", 0 and a pad byte it
    // does not check (0 from most cameras, 0xff from some encoders), and only that one.
    if (marker === 0xe1 && orientation === undefined && length - 2 > EXIF_HEADER.length + 1) {
      const body = await read(offset + 4, length - 2);
      if (body.length === length - 2 && body.subarray(0, EXIF_HEADER.length).equals(EXIF_HEADER)) orientation = exifOrientation(body.subarray(EXIF_HEADER.length + 1));
    }
    offset += 2 + length;
  }
  return null;
}

/** EXIF's Orientation (tag 0x0112, one SHORT in the first IFD) from its TIFF block: 1 when absent or odd. */
function exifOrientation(tiff: Buffer): number {
  if (tiff.length < 8) return 1;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return 1;
  const little = order === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > tiff.length) return 1;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) !== 0x0112) continue;
    // Type SHORT (3), count 1, as browsers require; the value sits in the entry itself.
    if (u16(entry + 2) !== 3 || u32(entry + 4) !== 1) return 1;
    const value = u16(entry + 8);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}
