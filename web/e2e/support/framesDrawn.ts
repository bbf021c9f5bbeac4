/**
 * What the open room draws, frame by frame: a sampler in the page records, at each frame as it is
 * about to be painted, whether the room's header is up, how many message rows a reader can see (in the
 * scrolled view and not hidden), whether the list says it is loading, and whether the "N new
 * messages ↓" button shows. A flash of an empty list lasts a few frames: polling from the test
 * would miss it.
 */
import type { Page } from 'playwright-core';

export interface Frame {
  /** The room's heading is drawn in the panel. */
  header: boolean;
  /** Message rows (any part of them) drawn inside the conversation's scrolled view. */
  rows: number;
  /** "Loading messages…" stands in for the list. */
  loading: boolean;
  /** The "N new messages ↓" button is drawn. */
  newButton: boolean;
  /** Where the "New messages" line is drawn, from the top of the scrolled view; null when it is not. */
  line: number | null;
  /** How far above the bottom of the view the newest message ends; null when it is not drawn. */
  newestEnd: number | null;
}

interface Sampler {
  frames: Frame[];
  done: boolean;
}

/** Starts recording every frame; read them back with `stopFrames`. */
export async function startFrames(page: Page, heading: string): Promise<void> {
  await page.evaluate((name) => {
    const sampler: Sampler = { frames: [], done: false };
    (window as unknown as { framesDrawn: Sampler }).framesDrawn = sampler;
    const drawn = (el: Element) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
    const sample = () => {
      if (sampler.done) return;
      const panel = document.querySelector('[role="dialog"]');
      const header = [...(panel?.querySelectorAll('h2') ?? [])].some((h) => h.textContent?.includes(name) && drawn(h));
      // The list, or rows standing in over it while it opens: all a reader sees of the conversation.
      const frame = panel?.querySelector('.message-list-frame');
      const view = frame?.getBoundingClientRect();
      const rows = view
        ? [...frame!.querySelectorAll('.message-row')].filter((row) => {
            const box = row.getBoundingClientRect();
            return drawn(row) && box.height > 0 && box.bottom > view.top && box.top < view.bottom;
          }).length
        : 0;
      const loading = [...(panel?.querySelectorAll('.empty-state') ?? [])].some((p) => p.textContent === 'Loading messages…');
      const newButton = [...(panel?.querySelectorAll('.new-messages') ?? [])].some((b) => / new messages? ↓$/.test(b.textContent ?? '') && drawn(b));
      // The one on top: the rows standing in over the list, while they are there.
      const separator = ['.opening-rows', '.message-list']
        .map((part) => frame?.querySelector(`${part} [role="separator"][aria-label="New messages"]`))
        .find((el) => el && drawn(el));
      const line = view && separator && drawn(separator) ? Math.round(separator.getBoundingClientRect().top - view.top) : null;
      const newest = ['.opening-rows', '.message-list']
        .map((part) => [...(frame?.querySelectorAll(`${part} .message-row`) ?? [])].at(-1))
        .find((el) => el && drawn(el));
      const newestEnd = view && newest ? Math.round(view.bottom - newest.getBoundingClientRect().bottom) : null;
      sampler.frames.push({ header, rows, loading, newButton, line, newestEnd });
    };
    // Read once the frame is laid out, just before it is painted: a ResizeObserver's first call comes
    // then, after react-virtuoso's own (which may add rows in that same frame, before the paint).
    const eachFrame = () => {
      if (sampler.done) return;
      const afterLayout = new ResizeObserver(() => {
        afterLayout.disconnect();
        sample();
      });
      afterLayout.observe(document.documentElement);
      requestAnimationFrame(eachFrame);
    };
    requestAnimationFrame(eachFrame);
  }, heading);
}

/** Stops recording and returns the frames drawn since `startFrames`. */
export function stopFrames(page: Page): Promise<Frame[]> {
  return page.evaluate(() => {
    const sampler = (window as unknown as { framesDrawn: Sampler }).framesDrawn;
    sampler.done = true;
    return sampler.frames;
  });
}
