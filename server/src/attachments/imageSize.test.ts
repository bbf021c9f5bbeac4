import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exifSegment, exifTiff, JFIF, jpeg, jpegFrame, jpegSegment, png, pngChunk, pngExif } from '../../test/support/images.ts';
import { imageSizeOfFile, readImageSize, type ReadAt } from './imageSize.ts';

/** Reads from `bytes`, recording every read asked for. */
function source(bytes: Buffer) {
  const reads: { offset: number; length: number }[] = [];
  const read: ReadAt = (offset, length) => {
    reads.push({ offset, length });
    return Promise.resolve(bytes.subarray(offset, offset + length));
  };
  return { read, reads };
}
const sizeOf = (bytes: Buffer, mime: Parameters<typeof readImageSize>[1]) => readImageSize(source(bytes).read, mime);

describe('readImageSize', () => {
  it('reads a PNG from its IHDR', async () => {
    expect(await sizeOf(png(1600, 400), 'image/png')).toEqual({ width: 1600, height: 400 });
    // A real file (1×1, as the browser tests send).
    const real = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    expect(await sizeOf(real, 'image/png')).toEqual({ width: 1, height: 1 });
  });

  it('reads a JPEG from its frame header, past the segments before it', async () => {
    const photo = jpeg(JFIF, jpegSegment(0xdb, Buffer.alloc(65, 1)), jpegFrame(4032, 1024));
    expect(await sizeOf(photo, 'image/jpeg')).toEqual({ width: 4032, height: 1024 });
    // Progressive (SOF2), behind fill bytes and a large APP2 (an ICC profile).
    const progressive = jpeg(JFIF, jpegSegment(0xe2, Buffer.alloc(60_000)), Buffer.from([0xff, 0xff]), jpegFrame(800, 600, 0xc2));
    expect(await sizeOf(progressive, 'image/jpeg')).toEqual({ width: 800, height: 600 });
  });

  it('turns a JPEG as browsers draw it: EXIF orientation 5–8 swaps width and height, 1–4 does not', async () => {
    const shot = (orientation: number, order: 'II' | 'MM' = 'II') => jpeg(exifSegment(orientation, order), jpegFrame(4000, 3000));
    for (const orientation of [5, 6, 7, 8]) expect(await sizeOf(shot(orientation), 'image/jpeg')).toEqual({ width: 3000, height: 4000 });
    for (const orientation of [1, 2, 3, 4]) expect(await sizeOf(shot(orientation), 'image/jpeg')).toEqual({ width: 4000, height: 3000 });
    expect(await sizeOf(shot(6, 'MM'), 'image/jpeg')).toEqual({ width: 3000, height: 4000 });
    // No orientation, or one out of range: as stored.
    expect(await sizeOf(shot(9), 'image/jpeg')).toEqual({ width: 4000, height: 3000 });
    expect(await sizeOf(jpeg(JFIF, jpegFrame(4000, 3000)), 'image/jpeg')).toEqual({ width: 4000, height: 3000 });
    // Only the first Exif segment counts (browsers read that one).
    expect(await sizeOf(jpeg(exifSegment(1), exifSegment(6), jpegFrame(4000, 3000)), 'image/jpeg')).toEqual({ width: 4000, height: 3000 });
  });

  it('reads the Exif segment Chromium reads: the first before the image data, after the frame header too, whatever its pad byte', async () => {
    const frame = jpegFrame(4000, 3000);
    const turned = { width: 3000, height: 4000 };
    const asStored = { width: 4000, height: 3000 };
    // Written after the frame header, as some editors do.
    expect(await sizeOf(jpeg(JFIF, frame, exifSegment(6)), 'image/jpeg')).toEqual(turned);
    expect(await sizeOf(jpeg(JFIF, frame, jpegSegment(0xc4, Buffer.alloc(30)), exifSegment(8, 'MM')), 'image/jpeg')).toEqual(turned);
    // "Exif", 0, then a pad byte Chromium does not look at (0xff from some encoders); the 0 it does.
    for (const pad of [0x00, 0x01, 0xff]) expect(await sizeOf(jpeg(exifSegment(6, 'II', pad), frame), 'image/jpeg')).toEqual(turned);
    const notExif = exifSegment(6);
    notExif[8] = 0xff;
    expect(await sizeOf(jpeg(notExif, frame), 'image/jpeg')).toEqual(asStored);
    // The first one counts, wherever the second is; one with nothing past its header is passed over.
    expect(await sizeOf(jpeg(exifSegment(1), frame, exifSegment(6)), 'image/jpeg')).toEqual(asStored);
    expect(await sizeOf(jpeg(jpegSegment(0xe1, Buffer.from('Exif\0\0', 'latin1')), frame, exifSegment(6)), 'image/jpeg')).toEqual(turned);
    // One after the image data has begun (SOS) is not read.
    const late = jpeg(frame);
    const withLate = Buffer.concat([late.subarray(0, -2), exifSegment(6), late.subarray(-2)]);
    expect(await sizeOf(withLate, 'image/jpeg')).toEqual(asStored);
  });

  it('turns a PNG by its eXIf chunk as Chromium does: the first with a sound CRC, before the image data', async () => {
    const turned = { width: 20, height: 40 };
    const asStored = { width: 40, height: 20 };
    for (const orientation of [5, 6, 7, 8]) expect(await sizeOf(png(40, 20, pngExif(orientation)), 'image/png')).toEqual(turned);
    for (const orientation of [1, 3]) expect(await sizeOf(png(40, 20, pngExif(orientation)), 'image/png')).toEqual(asStored);
    expect(await sizeOf(png(40, 20, pngExif(6, 'MM')), 'image/png')).toEqual(turned);
    // Behind the chunks an encoder writes first (colour, a profile, text).
    const early = [pngChunk('sRGB', Buffer.from([0])), pngChunk('iCCP', Buffer.alloc(3000, 1)), pngChunk('tEXt', Buffer.from('Software\0phone', 'latin1'))];
    expect(await sizeOf(png(40, 20, ...early, pngExif(8)), 'image/png')).toEqual(turned);
    // After the image data has begun it is not read (Chromium ignores it there; the format puts it before).
    const plain = png(40, 20);
    const idatEnd = plain.indexOf('IDAT', 0, 'latin1') + 8;
    expect(await sizeOf(Buffer.concat([plain.subarray(0, idatEnd), pngExif(6), plain.subarray(idatEnd)]), 'image/png')).toEqual(asStored);
    // The first counts, even an empty one; one whose CRC is wrong is passed over.
    expect(await sizeOf(png(40, 20, pngExif(1), pngExif(6)), 'image/png')).toEqual(asStored);
    expect(await sizeOf(png(40, 20, pngChunk('eXIf', Buffer.alloc(0)), pngExif(6)), 'image/png')).toEqual(asStored);
    expect(await sizeOf(png(40, 20, pngChunk('eXIf', exifTiff(1), true), pngExif(6)), 'image/png')).toEqual(turned);
    expect(await sizeOf(png(40, 20, pngChunk('eXIf', exifTiff(6), true)), 'image/png')).toEqual(asStored);
    // A JPEG's "Exif" header is not part of eXIf: Chromium reads such a chunk as nothing.
    expect(await sizeOf(png(40, 20, pngChunk('eXIf', Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exifTiff(6)]))), 'image/png')).toEqual(asStored);
  });

  it('reads GIF and WebP (lossy, lossless, extended)', async () => {
    const gif = Buffer.from('GIF89a\x40\x01\xf0\x00\x00\x00\x00', 'latin1');
    expect(await sizeOf(gif, 'image/gif')).toEqual({ width: 320, height: 240 });
    const riff = (chunk: string, body: number[]) => Buffer.concat([Buffer.from(`RIFF\0\0\0\0WEBP${chunk}\0\0\0\0`, 'latin1'), Buffer.from(body), Buffer.alloc(16)]);
    expect(await sizeOf(riff('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]), 'image/webp')).toEqual({ width: 640, height: 480 });
    // Lossless: 14 bits of width − 1 (639), then of height − 1 (479).
    const bits = 639 | (479 << 14);
    expect(await sizeOf(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24]), 'image/webp')).toEqual({ width: 640, height: 480 });
    expect(await sizeOf(riff('VP8X', [0x10, 0, 0, 0, 0x7f, 0x02, 0, 0xdf, 0x01, 0]), 'image/webp')).toEqual({ width: 640, height: 480 });
  });

  it('says nothing (null) for a truncated header', async () => {
    expect(await sizeOf(png(100, 100).subarray(0, 20), 'image/png')).toBeNull();
    const photo = jpeg(JFIF, jpegFrame(800, 600));
    const frameAt = photo.indexOf(Buffer.from([0xff, 0xc0]));
    for (const cut of [2, 3, 10, frameAt, frameAt + 3, frameAt + 8]) expect(await sizeOf(photo.subarray(0, cut), 'image/jpeg')).toBeNull();
    expect(await sizeOf(Buffer.from('GIF89a\x40', 'latin1'), 'image/gif')).toBeNull();
    expect(await sizeOf(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'), 'image/webp')).toBeNull();
  });

  it('says nothing (null) for crafted headers, and reads little', async () => {
    // A PNG whose first chunk is not IHDR, or of width 0 or past 2³¹ − 1.
    const notIhdr = png(10, 10);
    notIhdr.write('tEXt', 12, 'latin1');
    expect(await sizeOf(notIhdr, 'image/png')).toBeNull();
    expect(await sizeOf(png(0, 10), 'image/png')).toBeNull();
    expect(await sizeOf(png(0xffffffff, 10), 'image/png')).toBeNull();
    // Its chunks before the image data: cut short, IEND first, a length past 2³¹ − 1, a type not of letters.
    const whole = png(10, 10, pngExif(6));
    expect(await sizeOf(whole.subarray(0, 33), 'image/png')).toBeNull();
    expect(await sizeOf(whole.subarray(0, 50), 'image/png')).toBeNull();
    expect(await sizeOf(png(10, 10, pngChunk('IEND', Buffer.alloc(0))), 'image/png')).toBeNull();
    const tooLong = pngChunk('tEXt', Buffer.alloc(4));
    tooLong.writeUInt32BE(0x80000000, 0);
    expect(await sizeOf(png(10, 10, tooLong), 'image/png')).toBeNull();
    expect(await sizeOf(png(10, 10, pngChunk('t3Xt', Buffer.alloc(4))), 'image/png')).toBeNull();
    // An eXIf chunk too long to check (a real one is a few KiB) is not read: no size.
    const hugeExif = source(png(10, 10, pngChunk('eXIf', Buffer.concat([exifTiff(6), Buffer.alloc(100_000)]))));
    expect(await readImageSize(hugeExif.read, 'image/png')).toBeNull();
    expect(Math.max(...hugeExif.reads.map((r) => r.length))).toBeLessThanOrEqual(65_535);
    // A JPEG segment that claims to be shorter than its own length field.
    expect(await sizeOf(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01]), jpegFrame(10, 10)]), 'image/jpeg')).toBeNull();
    // The image data before any frame header; a frame of height 0 (given later, by DNL).
    expect(await sizeOf(jpeg(JFIF), 'image/jpeg')).toBeNull();
    expect(await sizeOf(jpeg(jpegFrame(10, 0)), 'image/jpeg')).toBeNull();
    // Two frame headers, or none of the image data after it: Chromium shows neither.
    expect(await sizeOf(jpeg(jpegFrame(10, 10), jpegFrame(10, 20)), 'image/jpeg')).toBeNull();
    expect(await sizeOf(Buffer.concat([Buffer.from([0xff, 0xd8]), jpegFrame(10, 10), Buffer.from([0xff, 0xd9])]), 'image/jpeg')).toBeNull();
    // Garbage where a marker should be.
    expect(await sizeOf(Buffer.concat([Buffer.from([0xff, 0xd8, 0x00, 0x00]), jpegFrame(10, 10)]), 'image/jpeg')).toBeNull();

    // Thousands of empty segments, or 10 MB of fill bytes, before the frame: given up on after a bounded walk.
    const many = source(jpeg(...Array.from({ length: 5000 }, () => jpegSegment(0xfe, Buffer.alloc(0))), jpegFrame(10, 10)));
    expect(await readImageSize(many.read, 'image/jpeg')).toBeNull();
    expect(many.reads.length).toBeLessThanOrEqual(512);
    const fill = source(Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(10 * 1024 * 1024, 0xff)]));
    expect(await readImageSize(fill.read, 'image/jpeg')).toBeNull();
    expect(fill.reads.length).toBeLessThanOrEqual(512);
    const chunks = source(png(10, 10, ...Array.from({ length: 5000 }, () => pngChunk('tEXt', Buffer.from('a\0b', 'latin1')))));
    expect(await readImageSize(chunks.read, 'image/png')).toBeNull();
    expect(chunks.reads.length).toBeLessThanOrEqual(513);

    // An Exif IFD claiming 65,535 entries (none of them Orientation) is read up to its segment's end,
    // and one placed past that end is not read at all: the size stands as stored.
    const lying = exifSegment(6);
    lying.writeUInt16LE(0xffff, 4 + 6 + 8);
    lying.writeUInt16LE(0x0110, 4 + 6 + 22);
    expect(await sizeOf(jpeg(lying, jpegFrame(40, 30)), 'image/jpeg')).toEqual({ width: 40, height: 30 });
    const farIfd = exifSegment(6);
    farIfd.writeUInt32LE(0x7fffffff, 4 + 6 + 4);
    expect(await sizeOf(jpeg(farIfd, jpegFrame(40, 30)), 'image/jpeg')).toEqual({ width: 40, height: 30 });
    // An Exif segment whose length runs past the file: no orientation and no size.
    const cutExif = jpeg(exifSegment(6)).subarray(0, 30);
    expect(await sizeOf(cutExif, 'image/jpeg')).toBeNull();

    // No read asks for more than one segment can hold, whatever the lengths say.
    const big = source(jpeg(JFIF, jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\0\0'), Buffer.alloc(65_000)])), jpegFrame(10, 10)));
    expect(await readImageSize(big.read, 'image/jpeg')).toEqual({ width: 10, height: 10 });
    expect(Math.max(...big.reads.map((r) => r.length))).toBeLessThanOrEqual(65_535);
  });

  it('never throws on a mangled header: 3,000 samples cut and overwritten at random', async () => {
    const samples: [Buffer, Parameters<typeof readImageSize>[1]][] = [
      [png(640, 480), 'image/png'],
      [png(640, 480, pngChunk('tEXt', Buffer.from('a\0b', 'latin1')), pngExif(6)), 'image/png'],
      [jpeg(exifSegment(6), JFIF, jpegFrame(640, 480)), 'image/jpeg'],
      [jpeg(exifSegment(8, 'MM'), jpegFrame(640, 480, 0xc2)), 'image/jpeg'],
      [Buffer.from('GIF89a\x40\x01\xf0\x00\x00\x00\x00', 'latin1'), 'image/gif'],
      [Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8X\0\0\0\0', 'latin1'), Buffer.alloc(16, 0xff)]), 'image/webp'],
    ];
    // A fixed sequence (xorshift): a failure can be run again.
    let state = 0x9e3779b9;
    const random = (below: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % below;
    };
    for (let i = 0; i < 3000; i++) {
      const [sample, mime] = samples[i % samples.length]!;
      const bytes = Buffer.from(sample.subarray(0, 1 + random(sample.length)));
      for (let n = random(6); n > 0; n--) bytes[random(bytes.length)] = random(256);
      const size = await sizeOf(bytes, mime);
      if (size) expect(Number.isInteger(size.width) && size.width > 0 && Number.isInteger(size.height) && size.height > 0).toBe(true);
    }
  });
});

describe('imageSizeOfFile', () => {
  it('reads the stored file, and says nothing for one of another kind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ecc-image-size-'));
    try {
      const file = path.join(dir, 'photo');
      await writeFile(file, jpeg(exifSegment(8), jpegFrame(1200, 300)));
      expect(await imageSizeOfFile(file, 'image/jpeg')).toEqual({ width: 300, height: 1200 });
      expect(await imageSizeOfFile(file, 'image/png')).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
