/**
 * Image headers built byte by byte, as cameras and encoders write them: enough for the server to
 * read a size from (no pixels: the server never decodes them).
 */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG's signature and IHDR chunk for `width`×`height`, then `rest`. */
export function pngHeader(width: number, height: number, rest = Buffer.alloc(16)): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 2, 0, 0, 0], 16); // 8-bit RGB; the CRC is left 0 (not checked here)
  return Buffer.concat([Buffer.from(PNG_SIGNATURE), ihdr, rest]);
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

/** An APP1 Exif segment whose first IFD holds Orientation `orientation` (and, first, another tag). */
export function exifSegment(orientation: number, order: 'II' | 'MM' = 'II'): Buffer {
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
  return jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
}

/** A JFIF APP0 segment, as most encoders start. */
export const JFIF = jpegSegment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));

/** SOI, `segments`, then the start of image data and EOI. */
export function jpeg(...segments: Buffer[]): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...segments, jpegSegment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])), Buffer.alloc(32, 0x55), Buffer.from([0xff, 0xd9])]);
}
