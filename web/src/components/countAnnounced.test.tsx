/**
 * The character count near the limit is said by a polite live region. Mounted together with its first
 * text, many screen readers did not announce it: the region is there, empty, from the start.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openRoomWith as openRoom } from '../test/renderChat.tsx';

/** The polite live regions of the form holding `box`, as they are before it is typed into. */
function politeRegions(box: HTMLElement): Element[] {
  return [...(box.closest('form') as HTMLFormElement).querySelectorAll('[aria-live="polite"]')];
}

describe('the character count', () => {
  it("is said in the message box's live region that was there before the count appeared", async () => {
    await openRoom();
    const box = screen.getByLabelText('Message');
    const regions = politeRegions(box);
    fireEvent.change(box, { target: { value: 'a'.repeat(3712) } });
    expect(regions).toContain(screen.getByText('3,712 / 4,000').closest('[aria-live="polite"]'));
  });

  it("is said in the edit box's live region that was there before the count appeared", async () => {
    await openRoom();
    const mine = within(screen.getByRole('log', { name: 'Conversation' })).getByRole('article', { name: 'From You' });
    fireEvent.click(within(mine).getByRole('button', { name: 'Edit' }));
    const box = screen.getByLabelText('Edit text');
    const regions = politeRegions(box);
    fireEvent.change(box, { target: { value: 'a'.repeat(3712) } });
    expect(regions).toContain(within(mine).getByText('3,712 / 4,000').closest('[aria-live="polite"]'));
  });
});
