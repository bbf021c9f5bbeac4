import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
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
