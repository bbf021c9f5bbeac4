/** A file going up shows how far it has got, so a slow upload is seen to move; taken off mid-way, it stops. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flush, openEmptyRoom } from '../test/renderChat.tsx';

const plan = new File([new Uint8Array(4096)], 'floor plan.pdf', { type: 'application/pdf' });
const chip = () => screen.getByRole('group', { name: 'Attached file' });
const bar = () => within(chip()).getByRole('progressbar', { name: 'Upload of floor plan.pdf' });

async function picked() {
  const r = await openEmptyRoom();
  fireEvent.change(screen.getByLabelText('Attach a photo or PDF'), { target: { files: [plan] } });
  return { ...r, upload: r.uploader.uploads[0]! };
}

afterEach(() => vi.useRealTimers());

describe('an upload under way', () => {
  it('shows the share of the file sent, in words and as a progress bar', async () => {
    const { upload } = await picked();
    expect(chip().textContent).toContain('Uploading…');
    // Before the first report, how far it has got is not known: no value.
    expect(bar().getAttribute('aria-valuenow')).toBeNull();
    act(() => upload.progress(420, 1000));
    expect(chip().textContent).toContain('Uploading… 42 %');
    expect(bar().getAttribute('aria-valuenow')).toBe('42');
    expect(bar().getAttribute('aria-valuemin')).toBe('0');
    expect(bar().getAttribute('aria-valuemax')).toBe('100');
  });

  it('is shown anew at most every quarter of a second, except once all of it has gone', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { upload } = await picked();
    act(() => upload.progress(100, 1000));
    expect(bar().getAttribute('aria-valuenow')).toBe('10');
    act(() => upload.progress(200, 1000));
    expect(bar().getAttribute('aria-valuenow')).toBe('10');
    vi.advanceTimersByTime(250);
    act(() => upload.progress(300, 1000));
    expect(bar().getAttribute('aria-valuenow')).toBe('30');
    act(() => upload.progress(1000, 1000));
    expect(chip().textContent).toContain('Uploading… 100 %');
  });

  it('says nothing of its share in the live status, which a screen reader would read out at each step', async () => {
    const { upload } = await picked();
    act(() => upload.progress(420, 1000));
    const status = within(chip()).getByRole('status');
    const spoken = [...status.childNodes].filter((n) => !(n instanceof HTMLElement && n.getAttribute('aria-hidden') === 'true'));
    expect(spoken.map((n) => n.textContent).join('')).toBe('Uploading…');
  });

  it('stops when the file is removed while it goes up, and the chip goes', async () => {
    const { upload, uploader } = await picked();
    act(() => upload.progress(420, 1000));
    fireEvent.click(screen.getByRole('button', { name: 'Remove floor plan.pdf' }));
    expect(upload.signal?.aborted).toBe(true);
    expect(screen.queryByRole('group', { name: 'Attached file' })).toBeNull();
    expect(uploader.discarded).toEqual([]);
  });

  it('is let finish once all of it has gone (the server may have stored it), and is then deleted', async () => {
    const { upload, uploader } = await picked();
    act(() => upload.progress(1000, 1000));
    fireEvent.click(screen.getByRole('button', { name: 'Remove floor plan.pdf' }));
    expect(upload.signal?.aborted).toBe(false);
    act(() => upload.resolve({ id: 5, name: 'floor plan.pdf', mime: 'application/pdf', size: 4096, url: '/api/attachments/5' }));
    await flush();
    expect(uploader.discarded).toEqual([5]);
  });
});
