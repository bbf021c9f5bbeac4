/** The message being answered, as the composer shows it above the box and as the sent reply quotes it. */
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openRoomWith } from '../test/renderChat.tsx';
import { alice, bob, message } from '../test/fixtures.ts';

describe('reply preview', () => {
  it('names my own message answered "You", as my messages are headed, not by my own name', async () => {
    await openRoomWith([message(1, 1, bob, { content: 'Which floor?' }), message(1, 2, alice, { content: 'Keys under the mat' })]);
    fireEvent.click(screen.getByRole('button', { name: 'Reply to You' }));
    const preview = screen.getByText(/Replying to/);
    expect(preview.textContent).toBe('Replying to You: Keys under the mat');
    expect(preview.textContent).not.toContain(alice.displayName);
  });

  it('still names the other person by name', async () => {
    await openRoomWith([message(1, 1, bob, { content: 'Which floor?' })]);
    fireEvent.click(screen.getByRole('button', { name: 'Reply to Bob Cleaner' }));
    expect(screen.getByText(/Replying to/).textContent).toBe('Replying to Bob Cleaner: Which floor?');
  });

  it("quotes my own message in a reply's bubble as \"You\"", async () => {
    const reply = message(1, 2, bob, { content: 'Got it', replyTo: { id: 100_001, seq: 1, sender: alice, excerpt: 'Keys under the mat' } });
    await openRoomWith([message(1, 1, alice, { content: 'Keys under the mat' }), reply]);
    const bubble = screen.getByRole('article', { name: 'From Bob Cleaner' });
    const quote = within(bubble).getByRole('button', { name: /^Show the original message from/ });
    expect(quote.querySelector('.reply-sender')?.textContent).toBe('You');
    expect(quote.textContent).not.toContain(alice.displayName);
  });

  it('describes the message box by the message it answers, for a screen reader, and no longer once the reply is cancelled', async () => {
    await openRoomWith([message(1, 1, bob, { content: 'Which floor?' })]);
    const box = screen.getByLabelText('Message');
    fireEvent.click(screen.getByRole('button', { name: 'Reply to Bob Cleaner' }));
    expect(descriptionOf(box)).toBe('Replying to Bob Cleaner: Which floor?');
    // With the character count once the text is long: both are said.
    fireEvent.change(box, { target: { value: 'x'.repeat(3900) } });
    expect(descriptionOf(box)).toBe('Replying to Bob Cleaner: Which floor? 3,900 / 4,000');
    fireEvent.change(box, { target: { value: 'Third' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel reply' }));
    expect(descriptionOf(box)).toBe('');
  });
});

/** What a screen reader says after the box's name: the text of the elements its aria-describedby names. */
function descriptionOf(el: HTMLElement): string {
  const ids = el.getAttribute('aria-describedby')?.split(/\s+/).filter(Boolean) ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}
