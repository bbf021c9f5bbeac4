/**
 * `npm run bench:long-room -w web` (MESSAGES=10000 by default): a client and a cleaner who have
 * chatted for months, in Chromium against a real server. Prints figures, asserts nothing:
 *   - opening the room (read to the end): click → the newest message shown at the bottom, and how
 *     far the view moves afterwards while the photos load;
 *   - scrolling up through PAGES older pages with the wheel: each page's wait, rows out of order or
 *     missing at page joins, the view's jump at each join, DOM nodes and JS heap on the way;
 *   - a reply's jump to an original thousands of messages back: click → highlighted;
 *   - opening after a long absence (UNREAD unread): click → at the "New messages" line.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { CDPSession, Page } from 'playwright-core';
import { startTestServer } from '@ecc/server/testing';
import { chromiumAvailable, launchBrowser } from '../e2e/support/browser.ts';
import { WAIT, messageLog, openRoom, panel, signIn } from '../e2e/support/app.ts';
import { seedLongConversation, kindOf } from '../e2e/support/longConversation.ts';
import { rowTop, topRow } from '../e2e/support/scrollView.ts';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MESSAGES = Number(process.env.MESSAGES ?? 10_000);
const PAGES = Number(process.env.PAGES ?? 40);
const UNREAD = Number(process.env.UNREAD ?? 400);
const ROOM = /Deep clean/;

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stats(values: number[]): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${at(1).toFixed(0)} ms (n=${values.length})`;
}

async function memory(page: Page, cdp: CDPSession): Promise<string> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  const rows = await page.locator('.message-list [data-seq]').count();
  return `JS heap ${(metric('JSHeapUsedSize') / 2 ** 20).toFixed(1)} MiB, DOM nodes ${metric('Nodes')}, rows in the DOM ${rows}`;
}

/** The seqs of the rows in the DOM, in document order. */
function renderedSeqs(page: Page): Promise<number[]> {
  return page.locator('.message-list [data-seq]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
}

/** Rows that break "each row one seq more than the one above" (a gap or a repeat at a page join). */
function breaks(seqs: number[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < seqs.length; i++) if (seqs[i] !== (seqs[i - 1] ?? 0) + 1) out.push(`${seqs[i - 1]}→${seqs[i]}`);
  return out;
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('Chromium is needed');
  await build({ root: webDir, configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  const server = await startTestServer();
  const browser = await launchBrowser();
  try {
    let t = performance.now();
    const long = await seedLongConversation(server, MESSAGES);
    print(`seeded ${MESSAGES} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // After a long absence: UNREAD messages unread (read marks only move forward: this comes first).
    await server.store.markRead(long.roomId, long.alice.id, long.lastSeq - UNREAD);
    const alice = await signIn(browser, server.url, 'client1');
    const page = alice.page;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    t = performance.now();
    await openRoom(page, ROOM);
    await page.getByRole('separator', { name: 'New messages' }).waitFor({ timeout: WAIT }).catch(async (err: unknown) => {
      await page.screenshot({ path: '/tmp/h-long-unread.png' });
      print(`  ${await panel(page).textContent()}`);
      throw err;
    });
    const firstNewTop = await page.evaluate(() => {
      const list = document.querySelector('.message-list')?.getBoundingClientRect();
      const line = document.querySelector('.unread-separator')?.getBoundingClientRect();
      return list && line ? line.top - list.top : null;
    });
    print(`open after a long absence (${UNREAD} unread): click → "New messages" line shown ${(performance.now() - t).toFixed(0)} ms, at ${firstNewTop?.toFixed(0)} px from the top`);
    await server.store.markRead(long.roomId, long.alice.id, long.lastSeq);

    // Opening: click → newest row on screen at the bottom.
    const opens: number[] = [];
    const drift: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.reload();
      await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
      const back = panel(page).getByRole('button', { name: 'Back to conversations' });
      if (await back.isVisible()) await back.click();
      t = performance.now();
      await openRoom(page, ROOM);
      await page.waitForFunction(
        (seq) => {
          const list = document.querySelector('.message-list');
          const row = list?.querySelector(`[data-seq="${seq}"]`);
          return !!list && !!row && Math.abs(row.getBoundingClientRect().bottom - list.getBoundingClientRect().bottom) < 60;
        },
        long.lastSeq,
        { timeout: WAIT, polling: 'raf' },
      );
      opens.push(performance.now() - t);
      // Where the newest row sits now and after the photos loaded.
      const first = await rowTop(page, long.lastSeq);
      await sleep(2500);
      const later = await rowTop(page, long.lastSeq);
      drift.push(first !== null && later !== null ? Math.abs(later - first) : Number.NaN);
    }
    print(`open the room (read): click → newest shown ${stats(opens)}`);
    print(`  newest row moved by ${drift.map((d) => d.toFixed(0)).join(', ')} px in the 2.5 s after it was shown`);
    print(`  ${await memory(page, cdp)}`);

    // Scrolling up page by page with the wheel.
    const scroller = page.locator('.message-list');
    await scroller.hover();
    const waits: number[] = [];
    const jumps: number[] = [];
    const allBreaks: string[] = [];
    let lowest = Infinity;
    const heldFrom = () =>
      page.evaluate(() => Math.min(...[...document.querySelectorAll('.message-list [data-seq]')].map((r) => Number(r.getAttribute('data-seq')))));
    for (let p = 0; p < PAGES; p++) {
      const started = performance.now();
      const before = await heldFrom();
      // Wheel up until a row older than any seen so far is rendered below a loaded page.
      for (let i = 0; i < 200; i++) {
        await page.mouse.wheel(0, -600);
        await sleep(30);
        const header = await page.locator('.message-list').textContent();
        if (header?.includes('start of the conversation')) break;
        if ((await heldFrom()) < before - 40) break;
      }
      // The anchor: the top visible row now, and where it sits 300 ms later (an older page landing above it).
      const anchor = await topRow(page, 10);
      await sleep(300);
      if (anchor) {
        const after = await rowTop(page, anchor.seq);
        jumps.push(after === null ? Number.NaN : Math.abs(after - anchor.top));
      }
      waits.push(performance.now() - started);
      const seqs = await renderedSeqs(page);
      allBreaks.push(...breaks(seqs));
      lowest = Math.min(lowest, ...seqs);
      if (p % 10 === 9) print(`  after ${p + 1} pages up (lowest row ${lowest}): ${await memory(page, cdp)}`);
      if ((await page.locator('.message-list').textContent())?.includes('start of the conversation')) break;
    }
    print(`wheel up past the next older page (the script's pace, 30 ms a wheel step, + 300 ms watching): ${stats(waits)}`);
    print(`  view moved at page joins by (px): ${jumps.map((j) => j.toFixed(0)).join(' ')}`);
    print(`  rows out of order / missing in the DOM: ${allBreaks.length === 0 ? 'none' : allBreaks.slice(0, 20).join(', ')}`);

    // A reply's jump to an original thousands back: the newest reply.
    let replyN = MESSAGES;
    while (replyN > 0 && kindOf(replyN) !== 'reply') replyN--;
    const replySeq = long.seqOf(replyN);
    const originalSeq = long.bySeq.get(replySeq)?.replyTo?.seq ?? 0;
    await page.reload();
    await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
    await openRoom(page, ROOM);
    await messageLog(page).locator(`[data-seq="${long.lastSeq}"]`).waitFor({ timeout: WAIT });
    const quote = page.locator(`[data-seq="${replySeq}"]`).getByRole('button', { name: /^Show the original message from/ });
    await page.locator('.message-list').hover();
    for (let i = 0; i < 100 && (await quote.count()) === 0; i++) {
      await page.mouse.wheel(0, -300);
      await sleep(50);
    }
    await quote.scrollIntoViewIfNeeded({ timeout: WAIT });
    t = performance.now();
    await quote.click();
    await page.locator(`.jump-highlight[data-seq="${originalSeq}"]`).waitFor({ timeout: 120_000 });
    print(`reply jump ${replySeq - originalSeq} messages back (seq ${replySeq} → ${originalSeq}): click → highlighted ${(performance.now() - t).toFixed(0)} ms`);
    print(`  ${await memory(page, cdp)}`);

    // Back down, the way the reader has from there.
    t = performance.now();
    await page.getByRole('button', { name: 'Newest messages ↓' }).click();
    await page.waitForFunction((seq) => !!document.querySelector(`.message-list [data-seq="${seq}"]`), long.lastSeq, { timeout: WAIT, polling: 'raf' });
    print(`back down to the newest ("Newest messages ↓"): click → newest shown ${(performance.now() - t).toFixed(0)} ms`);

    // Switching rooms and back, read far up (hundreds of messages loaded).
    const agent = server.demo?.users.support1?.id ?? 0;
    const other = await server.store.createRoom({ type: 'support', name: 'Support · Alice Client', jobId: null, participantIds: [long.alice.id, agent] });
    await server.store.appendMessages([{ roomId: other, senderId: agent, type: 'text', content: 'How can we help?', clientId: 'bench-support' }]);
    await page.reload();
    await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
    await openRoom(page, ROOM);
    await page.locator(`.message-list [data-seq="${long.lastSeq}"]`).waitFor({ timeout: WAIT });
    await page.locator('.message-list').hover();
    for (let i = 0; i < 80; i++) {
      await page.mouse.wheel(0, -800);
      await sleep(30);
    }
    await sleep(1000);
    const readingAt = (await renderedSeqs(page))[0];
    await openRoom(page, /Support/);
    t = performance.now();
    await openRoom(page, ROOM);
    await page.locator('.message-list [data-seq]').first().waitFor({ timeout: WAIT });
    const opened = performance.now() - t;
    await sleep(1000);
    const seqsBack = await renderedSeqs(page);
    print(`switch away while reading at seq ${readingAt} and back: the room shows seqs ${seqsBack[0]}..${seqsBack.at(-1)} (newest ${long.lastSeq}; opened in ${opened.toFixed(0)} ms)`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
