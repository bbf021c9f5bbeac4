import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { LinkifiedText, trimUrl } from './LinkifiedText.tsx';

describe('LinkifiedText', () => {
  it('keeps a closing bracket that belongs to the URL and drops the sentence’s punctuation', () => {
    expect(trimUrl('https://en.wikipedia.org/wiki/Mop_(tool)')).toBe('https://en.wikipedia.org/wiki/Mop_(tool)');
    expect(trimUrl('https://en.wikipedia.org/wiki/Mop_(tool))')).toBe('https://en.wikipedia.org/wiki/Mop_(tool)');
    expect(trimUrl('https://example.com/path).')).toBe('https://example.com/path');
    expect(trimUrl('https://example.com/a,')).toBe('https://example.com/a');
    expect(trimUrl('https://example.com/list[1]')).toBe('https://example.com/list[1]');
    expect(trimUrl('https://example.com/?!')).toBe('https://example.com/');
    expect(trimUrl('https://example.com/(a)).]);')).toBe('https://example.com/(a)');
  });

  it('counts the brackets once, not again for each character trimmed', () => {
    // Counted per character, one URL followed by 4,000 `)` (a message the server accepts) froze its
    // readers' tabs for a quarter of a second on every render.
    const url = 'https://example.com/a';
    const split = vi.spyOn(String.prototype, 'split');
    try {
      expect(trimUrl(url + ')'.repeat(4000))).toBe(url);
      expect(trimUrl(`${url}(${')'.repeat(4000)}`)).toBe(`${url}()`);
      expect(split.mock.calls.length).toBeLessThanOrEqual(8);
    } finally {
      split.mockRestore();
    }
  });

  it('links a URL written inside brackets without the bracket, and the text around it stays text', () => {
    render(<LinkifiedText text="(see https://en.wikipedia.org/wiki/Mop_(tool)) <b>ok</b>" />);
    const link = screen.getByRole('link');
    expect(link.getAttribute('href')).toBe('https://en.wikipedia.org/wiki/Mop_(tool)');
    expect(link.textContent).toBe('https://en.wikipedia.org/wiki/Mop_(tool)');
    expect(link.parentElement?.textContent).toBe('(see https://en.wikipedia.org/wiki/Mop_(tool)) <b>ok</b>');
  });

  it('links an address written from "www." on, over https, and nothing that is not http(s)', () => {
    render(<LinkifiedText text="Parking: www.example.com/parking. Not www. alone, nor javascript:alert(1) or ftp://example.com" />);
    const links = screen.getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')])).toEqual([
      ['www.example.com/parking', 'https://www.example.com/parking', 'noopener noreferrer'],
    ]);
  });
});
