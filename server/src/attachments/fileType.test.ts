import { describe, expect, it } from 'vitest';
import { contentDisposition, detectFileType, sanitizeFileName } from './fileType.ts';

describe('detectFileType', () => {
  it.each([
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'image/png'],
    ['jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]), 'image/jpeg'],
    ['gif', Buffer.from('GIF89a......'), 'image/gif'],
    ['webp', Buffer.from('RIFF\x10\x00\x00\x00WEBP'), 'image/webp'],
    ['pdf', Buffer.from('%PDF-1.7\n...'), 'application/pdf'],
  ])('recognises %s by its bytes', (_n, head, mime) => {
    expect(detectFileType(head)?.mime).toBe(mime);
  });

  it.each([
    ['html', Buffer.from('<html><script>alert(1)</script>')],
    ['svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">')],
    ['too short', Buffer.from([0x89, 0x50])],
    ['RIFF that is not WebP', Buffer.from('RIFF\x10\x00\x00\x00WAVE')],
  ])('refuses %s', (_n, head) => {
    expect(detectFileType(head)).toBeNull();
  });
});

describe('sanitizeFileName', () => {
  const png = { mime: 'image/png', isImage: true } as const;
  const jpeg = { mime: 'image/jpeg', isImage: true } as const;
  const pdf = { mime: 'application/pdf', isImage: false } as const;

  it('strips directories, control and bidi characters and leading dots', () => {
    expect(sanitizeFileName('../../etc/kitchen.png', png)).toBe('kitchen.png');
    expect(sanitizeFileName('C:\\Users\\a\\photo.png', png)).toBe('photo.png');
    expect(sanitizeFileName('in\u0000voice\u202Egnp.pdf', pdf)).toBe('invoicegnp.pdf');
    expect(sanitizeFileName('.hidden.png', png)).toBe('hidden.png');
    expect(sanitizeFileName('\u0001\u0002', png)).toBe('attachment.png');
  });

  it('strips every bidi mark and invisible character, so a name shows all it holds, in its order', () => {
    // U+061C ARABIC LETTER MARK reorders the text around it as U+200F does.
    expect(sanitizeFileName('invoice\u061Cfdp.exe.pdf', pdf)).toBe('invoicefdp.exe.pdf');
    expect(sanitizeFileName('zero\u200Bwidth\u2060join\u00ADsoft\uFEFF.png', png)).toBe('zerowidthjoinsoft.png');
    expect(sanitizeFileName('fill\u3164er\u034F\u{E0041}.png', png)).toBe('filler.png');
    expect(sanitizeFileName('\u200B\u2060', png)).toBe('attachment.png');
    // Joiners and variation selectors are kept: emoji and some scripts need them to be written at all.
    expect(sanitizeFileName('👩\u200D🔧 \u2764\uFE0F.png', png)).toBe('👩\u200D🔧 \u2764\uFE0F.png');
    expect(sanitizeFileName('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645.pdf', pdf)).toBe('\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645.pdf');
  });

  it('ends in an extension of the stored type, so a saved copy never opens as HTML or a program', () => {
    expect(sanitizeFileName('notes.html', pdf)).toBe('notes.html.pdf');
    expect(sanitizeFileName('run.exe', png)).toBe('run.exe.png');
    expect(sanitizeFileName('README', pdf)).toBe('README.pdf');
    expect(sanitizeFileName('Holiday.JPG', jpeg)).toBe('Holiday.JPG');
    expect(sanitizeFileName('holiday.jpeg', jpeg)).toBe('holiday.jpeg');
    expect(sanitizeFileName('photo.png', jpeg)).toBe('photo.png.jpg');
  });

  it('caps the length and keeps the extension', () => {
    const kept = sanitizeFileName(`${'a'.repeat(500)}.pdf`, pdf);
    expect(kept.length).toBe(120);
    expect(kept.endsWith('a.pdf')).toBe(true);
    const added = sanitizeFileName(`${'b'.repeat(500)}.html`, pdf);
    expect(added.length).toBe(120);
    expect(added.endsWith('b.pdf')).toBe(true);
  });
});

describe('contentDisposition', () => {
  it('encodes a non-ASCII name per RFC 5987 with an ASCII fallback', () => {
    expect(contentDisposition('attachment', 'Résumé "final".pdf')).toBe(
      `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
  });
});
