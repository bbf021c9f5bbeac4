import { describe, expect, it } from 'vitest';
import { charCount, cutWhole, withinChars } from './chars.ts';

describe('charCount / withinChars', () => {
  it('counts an emoji (a surrogate pair) as one character and a lone surrogate as one', () => {
    expect(charCount('abc')).toBe(3);
    expect(charCount('a😀b')).toBe(3);
    expect(charCount('😀😀')).toBe(2);
    expect(charCount('\ud800x\udc00')).toBe(3);
    expect(charCount('')).toBe(0);
  });

  it('limits by characters, not UTF-16 units', () => {
    expect(withinChars('😀'.repeat(4), 4)).toBe(true);
    expect(withinChars('😀'.repeat(5), 4)).toBe(false);
    expect(withinChars('abcd', 4)).toBe(true);
    expect(withinChars('abcde', 4)).toBe(false);
  });

  it('cuts before an emoji that does not fit whole', () => {
    expect(cutWhole('ab😀', 3)).toBe('ab');
    expect(cutWhole('ab😀', 4)).toBe('ab😀');
    expect(cutWhole('abcd', 3)).toBe('abc');
  });
});
