/**
 * The conversation's keys are told, not left to be found: the arrow keys and Enter do what a Tab used
 * to. Told where the focus lands (a message, the conversation's one Tab stop), not on the list, which
 * the focus never stays on.
 */
import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { openRoomWith } from '../test/renderChat.tsx';
import { bob, message } from '../test/fixtures.ts';

/** The text of what describes `el` (aria-describedby), all its ids. */
function description(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
    .join(' ')
    .trim();
}

describe('the conversation says how to move in it by keyboard', () => {
  it('describes the message that is its Tab stop by a hint naming the arrow keys and Enter, and no other message', async () => {
    await openRoomWith([message(1, 1, bob, { content: 'Where are the keys?' }), message(1, 2, bob, { content: 'Under the mat' })]);
    const [first, second] = screen.getAllByRole('article');
    if (!first || !second) throw new Error('two messages expected');
    act(() => second.focus());
    expect(second.tabIndex).toBe(0);
    expect(description(second)).toMatch(/arrow keys/i);
    expect(description(second)).toMatch(/Enter/);
    expect(description(first)).toBe('');
    // The stop moves with the focus: so does the hint.
    act(() => first.focus());
    expect(description(first)).toMatch(/arrow keys/i);
    expect(description(second)).toBe('');
    expect(screen.getByRole('log', { name: 'Conversation' }).getAttribute('aria-describedby')).toBeNull();
  });

  it('describes the message the focus is handed to as it comes in, not a moment later', async () => {
    await openRoomWith([message(1, 1, bob, { content: 'Where are the keys?' }), message(1, 2, bob, { content: 'Under the mat' })]);
    const log = screen.getByRole('log', { name: 'Conversation' });
    // jsdom lays nothing out: every row is taken as drawn in view, so the list hands the focus to the newest.
    const boxes = vi.spyOn(Element.prototype, 'getBoundingClientRect').mockReturnValue(DOMRect.fromRect({ x: 0, y: 0, width: 300, height: 100 }));
    const atFocus: string[] = [];
    const record = (e: FocusEvent) => {
      if (e.target instanceof HTMLElement && e.target.getAttribute('role') === 'article') atFocus.push(description(e.target));
    };
    document.addEventListener('focusin', record);
    try {
      act(() => log.focus());
    } finally {
      document.removeEventListener('focusin', record);
      boxes.mockRestore();
    }
    expect(atFocus).toHaveLength(1);
    expect(atFocus[0]).toMatch(/arrow keys/i);
  });
});
