/**
 * An edit emptied of its text cannot be saved: Save went grey and nothing said why, nor what to do
 * instead. The box now says so (its description, read with it) and offers Delete. A photo's caption
 * emptied is told so in its own words; a photo sent without one is not told to delete itself.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openRoomWith as openRoom } from '../test/renderChat.tsx';
import type { Attachment, Message } from '@ecc/protocol';
import { alice, bob, message } from '../test/fixtures.ts';

/** What a screen reader says after the box's name: the text of the elements its aria-describedby names. */
function description(box: HTMLElement): string {
  const ids = box.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

/** Alice's room open, her message "Hi Bob" (or `own`) being edited with `text` typed. */
async function editTo(text: string, own?: Message) {
  const r = await openRoom(own && [message(1, 1, bob, { content: 'Hello Alice' }), own]);
  const mine = within(screen.getByRole('log', { name: 'Conversation' })).getByRole('article', { name: 'From You' });
  fireEvent.click(within(mine).getByRole('button', { name: 'Edit' }));
  const box = screen.getByLabelText('Edit text');
  fireEvent.change(box, { target: { value: text } });
  return { ...r, mine, box };
}

const PHOTO: Attachment = { id: 9, name: 'kitchen.jpg', mime: 'image/jpeg', size: 2048, url: '/api/attachments/9' };
const PDF: Attachment = { id: 10, name: 'invoice.pdf', mime: 'application/pdf', size: 4096, url: '/api/attachments/10' };

describe('an edit emptied of its text', () => {
  it('says, with the box, that a message cannot be empty and that it can be deleted instead', async () => {
    const { mine, box } = await editTo('  ');
    expect((within(mine).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    expect(description(box)).toBe("A message can't be empty. Delete it instead?");
  });

  it('offers Delete, which asks first as Delete does, and deletes the message', async () => {
    const { mine, transport } = await editTo('');
    fireEvent.click(within(mine).getByRole('button', { name: 'Delete' }));
    expect(screen.queryByLabelText('Edit text')).toBeNull();
    const confirm = within(mine).getByRole('button', { name: 'Confirm delete' });
    expect(document.activeElement).toBe(confirm);
    fireEvent.click(confirm);
    expect(transport.deletes).toEqual([message(1, 2, alice).id]);
  });

  // A live region mounted together with its text is not announced by many screen readers.
  it('says it in a polite live region that was there, empty, before the box was emptied', async () => {
    const { box } = await editTo('Hi Bob');
    const form = box.closest('form') as HTMLFormElement;
    const regions = [...form.querySelectorAll('[aria-live="polite"]')];
    expect(regions.map((r) => r.textContent)).toContain('');
    fireEvent.change(box, { target: { value: '' } });
    const said = within(form).getByText("A message can't be empty. Delete it instead?");
    expect(regions).toContain(said.closest('[aria-live="polite"]'));
  });

  it('says nothing of it while there is text to save', async () => {
    const { mine, box } = await editTo('Hi Bob, gate code 4711');
    expect(description(box)).toBe('');
    expect(within(mine).queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  // The server refuses a blank edit even under a photo (protocol.md: edit): its caption cannot be removed.
  it('says nothing of deleting when a photo sent without a caption is edited: the photo is there', async () => {
    const { mine, box } = await editTo('', message(1, 2, alice, { type: 'image', content: '', attachment: PHOTO }));
    expect(description(box)).toBe('');
    expect(screen.queryByText(/can't be/)).toBeNull();
    expect(within(mine).queryByRole('button', { name: 'Delete' })).toBeNull();
    // Nothing typed, nothing to save.
    expect((within(mine).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it.each([
    ['photo', PHOTO, 'image'],
    ['file', PDF, 'file'],
  ] as const)("says a %s's caption emptied cannot be saved, and offers to delete it", async (kind, attachment, type) => {
    const { mine, box } = await editTo(' ', message(1, 2, alice, { type, content: 'Before', attachment }));
    expect((within(mine).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    expect(description(box)).toBe(`A ${kind}'s caption can't be removed. Delete the ${kind} instead?`);
    expect(within(mine).getByRole('button', { name: 'Delete' })).toBeTruthy();
  });
});
