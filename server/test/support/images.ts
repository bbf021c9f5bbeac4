/**
 * Image headers built byte by byte, as cameras and encoders write them: enough for the server to
 * read a size from (no pixels: the server never decodes them).
 */
import { crc32 } from 'node:zlib';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG chunk: its length, type, body and CRC (of type and body; `badCrc` flips a bit of it). */
export function pngChunk(type: string, body: Buffer, badCrc = false): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE((crc32(typed) ^ (badCrc ? 1 : 0)) >>> 0, 8 + body.length);
  return out;
}

/** A PNG of `width`×`height`: signature, IHDR, `chunks`, then its image data (IDAT, no pixels) and IEND. */
export function png(width: number, height: number, ...chunks: Buffer[]): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 8, 2, 0, 0, 0]); // 8-bit RGB
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  return Buffer.concat([Buffer.from(PNG_SIGNATURE), pngChunk('IHDR', ihdr), ...chunks, pngChunk('IDAT', Buffer.alloc(0)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG marker segment: ff, the marker, its length (counting itself), the body. */
export function jpegSegment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** A baseline frame header (SOF0) of `width`×`height`, three components. */
export function jpegFrame(width: number, height: number, marker = 0xc0): Buffer {
  const body = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  body.writeUInt16BE(height, 1);
  body.writeUInt16BE(width, 3);
  return jpegSegment(marker, body);
}

/** An Exif block (TIFF header and first IFD) holding Orientation `orientation` (and, first, another tag). */
export function exifTiff(orientation: number, order: 'II' | 'MM' = 'II'): Buffer {
  const tiff = Buffer.alloc(8 + 2 + 2 * 12 + 4);
  const little = order === 'II';
  const u16 = (value: number, at: number) => (little ? tiff.writeUInt16LE(value, at) : tiff.writeUInt16BE(value, at));
  const u32 = (value: number, at: number) => (little ? tiff.writeUInt32LE(value, at) : tiff.writeUInt32BE(value, at));
  tiff.write(order, 0, 'latin1');
  u16(42, 2);
  u32(8, 4);
  u16(2, 8);
  // Make (0x010f), ASCII, its text elsewhere: a tag before Orientation, as cameras write them.
  u16(0x010f, 10);
  u16(2, 12);
  u32(6, 14);
  u32(0, 18);
  u16(0x0112, 22);
  u16(3, 24);
  u32(1, 26);
  u16(orientation, 30);
  return tiff;
}

/** A PNG eXIf chunk (the Exif block alone, no "Exif" header), as in `exifTiff`. */
export const pngExif = (orientation: number, order: 'II' | 'MM' = 'II') => pngChunk('eXIf', exifTiff(orientation, order));

/**
 * A JPEG APP1 Exif segment, as in `exifTiff`: "Exif", 0, then a pad byte (`pad`), written 0 by
 * most cameras and 0xff by some encoders.
 */
export function exifSegment(orientation: number, order: 'II' | 'MM' = 'II', pad = 0): Buffer {
  return jpegSegment(0xe1, Buffer.concat([Buffer.from([0x45, 0x78, 0x69, 0x66, 0, pad]), exifTiff(orientation, order)]));
}

/** `jpegFile` (a whole JPEG) with `segment` put just after its frame header (SOF), where some editors write Exif. */
export function afterFrame(jpegFile: Buffer, segment: Buffer): Buffer {
  let at = 2;
  for (;;) {
    const marker = jpegFile[at + 1];
    if (jpegFile[at] !== 0xff || marker === undefined || marker === 0xda) throw new Error('no frame header before the image data');
    const end = at + 2 + jpegFile.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc2) return Buffer.concat([jpegFile.subarray(0, end), segment, jpegFile.subarray(end)]);
    at = end;
  }
}

/** A JFIF APP0 segment, as most encoders start. */
export const JFIF = jpegSegment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));

/** SOI, `segments`, then the start of image data and EOI. */
export function jpeg(...segments: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, jpegSegment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])), Buffer.alloc(32, 0x55), Buffer.from([0xff, 0xd9])]);
}
