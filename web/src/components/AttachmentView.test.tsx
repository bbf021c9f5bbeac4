import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AttachmentView } from './AttachmentView.tsx';

describe('AttachmentView', () => {
  it('shows an image as a preview that opens full size in a new tab', () => {
    render(<AttachmentView attachment={{ id: 1, name: 'oven.webp', mime: 'image/webp', size: 10, url: '/api/attachments/1' }} />);
    const img = screen.getByRole('img', { name: 'oven.webp' }) as HTMLImageElement;
    expect(img.getAttribute('src')).toBe('/api/attachments/1');
    const link = img.closest('a');
    expect(link?.getAttribute('href')).toBe('/api/attachments/1');
    expect(link?.target).toBe('_blank');
    expect(link?.rel).toContain('noopener');
  });

  it("reserves a photo of known size its own shape before it loads: whole, within 240×240, never larger than itself", () => {
    const shapeOf = (width: number, height: number) => {
      const { unmount } = render(
        <AttachmentView attachment={{ id: 7, name: 'wall.jpg', mime: 'image/jpeg', size: 10, url: '/api/attachments/7', width, height }} />,
      );
      const img = screen.getByRole('img', { name: 'wall.jpg' });
      const [w, h] = img.style.aspectRatio.split('/').map(Number);
      const shape = { width: img.style.width, ratio: (w ?? 0) / (h ?? 1) };
      unmount();
      return shape;
    };
    // A panorama of the wall (4:1) and a note photographed upright (3:4), both larger than the box.
    expect(shapeOf(3200, 800)).toEqual({ width: '240px', ratio: 4 });
    expect(shapeOf(3024, 4032)).toEqual({ width: '180px', ratio: 0.75 });
    // A small one at its own size; a tiny one in a box big enough to see and tap, not blown up (scale-down).
    expect(shapeOf(120, 90)).toEqual({ width: '120px', ratio: 120 / 90 });
    expect(shapeOf(8, 8)).toEqual({ width: '48px', ratio: 1 });
  });

  it('keeps the fixed box for a photo whose size is not known (older messages)', () => {
    render(<AttachmentView attachment={{ id: 8, name: 'old.png', mime: 'image/png', size: 10, url: '/api/attachments/8' }} />);
    const img = screen.getByRole('img', { name: 'old.png' });
    expect(img.getAttribute('style')).toBeNull();
  });

  it('loads a preview that failed again, when the browser is back online or a little later', () => {
    vi.useFakeTimers();
    try {
      render(<AttachmentView attachment={{ id: 4, name: 'hall.png', mime: 'image/png', size: 10, url: '/api/attachments/4' }} />);
      const first = screen.getByRole('img', { name: 'hall.png' });
      fireEvent.error(first);
      act(() => void window.dispatchEvent(new Event('online')));
      const second = screen.getByRole('img', { name: 'hall.png' });
      expect(second).not.toBe(first);
      expect(second.getAttribute('src')).toBe('/api/attachments/4');
      // Still failing (the server restarts): tried again after 4 s, then 8 s (backing off per attempt).
      fireEvent.error(second);
      act(() => void vi.advanceTimersByTime(3999));
      expect(screen.getByRole('img', { name: 'hall.png' })).toBe(second);
      act(() => void vi.advanceTimersByTime(1));
      const third = screen.getByRole('img', { name: 'hall.png' });
      expect(third).not.toBe(second);
      fireEvent.error(third);
      act(() => void vi.advanceTimersByTime(7999));
      expect(screen.getByRole('img', { name: 'hall.png' })).toBe(third);
      act(() => void vi.advanceTimersByTime(1));
      expect(screen.getByRole('img', { name: 'hall.png' })).not.toBe(third);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not load again a photo the server says is gone, and says so', async () => {
    const heads: string[] = [];
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      heads.push(`${init?.method ?? 'GET'} ${url}`);
      return Promise.resolve(new Response(null, { status: 404 }));
    });
    try {
      render(<AttachmentView attachment={{ id: 5, name: 'stain.jpg', mime: 'image/jpeg', size: 10, url: '/api/attachments/5' }} />);
      fireEvent.error(screen.getByRole('img', { name: 'stain.jpg' }));
      await screen.findByText('📎 stain.jpg (no longer available)');
      expect(heads).toEqual(['HEAD /api/attachments/5']);
      act(() => void window.dispatchEvent(new Event('online')));
      expect(screen.queryByRole('img')).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps a PDF a 📎 link, and a file name as text', () => {
    render(<AttachmentView attachment={{ id: 2, name: '<img src=x onerror=alert(1)>.pdf', mime: 'application/pdf', size: 10, url: '/api/attachments/2' }} />);
    const link = screen.getByRole('link');
    expect(link.textContent).toBe('📎 <img src=x onerror=alert(1)>.pdf');
    expect(link.querySelector('img')).toBeNull();
    expect(screen.queryByRole('img')).toBeNull();
  });

  it("links no url other than http(s) or the server's own path", () => {
    render(<AttachmentView attachment={{ id: 3, name: 'x.png', mime: 'image/png', size: 10, url: 'javascript:alert(1)' }} />);
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.queryByRole('img')).toBeNull();
  });
});
