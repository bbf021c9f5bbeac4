import { describe, expect, it } from 'vitest';
import { isEmojiOnly } from './emojiOnly.ts';

describe('isEmojiOnly', () => {
  it('is true for one to three emoji, with skin tones, joined families and flags', () => {
    for (const text of ['👍', ' 🎉🎉 ', '👍🏽', '👨‍👩‍👧', '🇬🇧', '❤️', '😀 😀 😀']) expect(isEmojiOnly(text), text).toBe(true);
  });

  it('is false for words, digits, four emoji or more, and an empty text', () => {
    for (const text of ['ok 👍', '1', '#', '42', '😀😀😀😀', '', '   ', ':)']) expect(isEmojiOnly(text), text).toBe(false);
  });
});
