import { describe, expect, it } from 'vitest';
import { charCount, cutChars, cutWhole, withinChars } from './chars.ts';
import { CreateJobRequest, JobListQuery } from './http.ts';

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

  it('cuts to a number of characters, an emoji counting once', () => {
    expect(cutChars('😀'.repeat(5), 4)).toBe('😀'.repeat(4));
    expect(cutChars('a😀b😀', 3)).toBe('a😀b');
    expect(cutChars('abc', 4)).toBe('abc');
    expect(cutChars('a\ud800bc', 2)).toBe('a\ud800');
  });
});

describe("a job's fields and support's search text", () => {
  it('are limited in characters, as a message is', () => {
    const job = (title: string, more: object = {}) => CreateJobRequest.safeParse({ title, ...more }).success;
    expect(job('😀'.repeat(120))).toBe(true);
    expect(job('😀'.repeat(121))).toBe(false);
    expect(job(` ${'😀'.repeat(120)} `)).toBe(true);
    expect(job('x', { description: '😀'.repeat(2000), address: '😀'.repeat(300), scheduledAt: '😀'.repeat(40) })).toBe(true);
    for (const [field, max] of [['description', 2000], ['address', 300], ['scheduledAt', 40]] as const) expect(job('x', { [field]: '😀'.repeat(max + 1) }), field).toBe(false);
    expect(JobListQuery.safeParse({ q: '😀'.repeat(100) }).success).toBe(true);
    expect(JobListQuery.safeParse({ q: '😀'.repeat(101) }).success).toBe(false);
  });
});
