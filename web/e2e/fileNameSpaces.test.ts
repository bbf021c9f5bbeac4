/**
 * A file name cut in the middle (FileName.tsx) keeps its spaces: where the cut fell just after a space,
 * the two halves, laid out side by side, each dropped the space at their edge, and the chip read
 * 'Angebot & Rechnung(final) v2.pdf' for 'Angebot & Rechnung (final) v2.pdf'. (Names the server keeps as
 * picked: once uploaded, the chip shows the stored name, which drops quotes.)
 * A right-to-left name (Arabic, Hebrew) keeps its words' order: its beginning stands on the right.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, openRoom } from './support/app.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe.runIf(chromiumAvailable())('a picked file’s name', () => {
  const app = signedInApp({ alice: 'client1' });

  it('shows with its spaces where the name is cut', async () => {
    const { page } = app.alice;
    await openRoom(page, /Deep clean/);
    // Cut after the space; cut before it (the end kept is the last 14 characters).
    for (const name of ['Angebot & Rechnung (final) v2.pdf', 'Rechnung_Angebot fuer_2026.pdf']) {
      await page.getByLabel('Attach a photo or PDF').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
      const chip = page.getByRole('group', { name: 'Attached file' }).filter({ hasText: name });
      await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: WAIT }).toBe(true);
      // What the eye reads: the two halves as laid out (innerText follows the CSS), the hidden whole left aside.
      const shown = await chip.locator('.file-name').evaluate((el) =>
        [...el.querySelectorAll<HTMLElement>('[aria-hidden="true"]')].map((part) => part.innerText).join(''),
      );
      expect(shown).toBe(name);
    }
  });

  it('keeps a right-to-left name in its order: the beginning on the right, where its reader starts', async () => {
    const { page } = app.alice;
    await openRoom(page, /Deep clean/);
    // Cut after "فاتورة" ("invoice"): shown left to right, the chip read "month January invoice".
    for (const name of ['فاتورة شهر يناير.pdf', 'חשבונית לחודש ינואר.pdf']) {
      await page.getByLabel('Attach a photo or PDF').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
      const chip = page.getByRole('group', { name: 'Attached file' }).filter({ hasText: name });
      await expect.poll(() => page.getByRole('button', { name: 'Send' }).isEnabled(), { timeout: WAIT }).toBe(true);
      const [head, end] = await chip.locator('.file-name [aria-hidden="true"]').evaluateAll((parts) =>
        parts.map((part) => part.getBoundingClientRect()),
      );
      expect({ name, headRightOfEnd: head!.left >= end!.right - 0.5 }).toEqual({ name, headRightOfEnd: true });
    }
  });
});
