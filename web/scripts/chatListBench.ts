/**
 * `npm run bench:chat-list -w web` (ROOMS=3000 by default): a support agent with thousands of
 * rooms, in Chromium against a real server. Prints figures, asserts nothing:
 *   - the server: time from the socket's open to `ready`, and its size;
 *   - page load to the chat list shown, and opening the panel on the list;
 *   - a message arriving to the list showing it (a room far down moving to the top);
 *   - keystrokes in the chat list's search box (the list narrowed on each), and Escape clearing it;
 *   - keystrokes in an open room's message box while messages arrive in other rooms;
 *   - JS heap and DOM nodes with the list shown.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { ChatClient } from '@ecc/client';
import { nodeWebSocket } from '@ecc/client/node';
import { startTestServer, type TestServer } from '@ecc/server/testing';
import { chromiumAvailable, launchBrowser } from '../e2e/support/browser.ts';
import { WAIT, chatsButton, openPanel, panel, signIn } from '../e2e/support/app.ts';
import { seedSupportRooms, type ManyRooms } from '../e2e/support/manyRooms.ts';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOMS = Number(process.env.ROOMS ?? 3000);
const SENDERS = 20;

/** Installed before the app's scripts: when frames arrive, when the list first shows a row, and the keystroke latencies. */
function probe(): void {
  const p = {
    ready: 0,
    readyChars: 0,
    firstRow: 0,
    arrived: {} as Record<string, number>,
    shown: {} as Record<string, number>,
    painted: {} as Record<string, number>,
    keys: [] as number[],
    longTasks: [] as number[],
  };
  (window as unknown as { __probe: typeof p }).__probe = p;
  // After the next paint: a frame, then a task queued behind it.
  const afterPaint = (fn: () => void) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = fn;
      ch.port2.postMessage(null);
    });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // Registered before the app's listener, so it runs first.
      this.addEventListener('message', (e: MessageEvent) => {
        const t = performance.now();
        if (typeof e.data !== 'string') return;
        if (e.data.slice(0, 40).includes('"type":"ready"')) {
          p.ready = t;
          p.readyChars = e.data.length;
        }
        const marker = /BENCH-\d+/.exec(e.data)?.[0];
        if (marker && !(marker in p.arrived)) p.arrived[marker] = t;
      });
    }
  };
  new MutationObserver(() => {
    const t = performance.now();
    if (!p.firstRow && document.querySelector('[data-room-id]')) p.firstRow = t;
    const top = document.querySelector('.chat-list-preview')?.textContent ?? '';
    for (const marker of Object.keys(p.arrived)) {
      if (marker in p.shown || !top.includes(marker)) continue;
      p.shown[marker] = t;
      afterPaint(() => (p.painted[marker] = performance.now()));
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
  addEventListener(
    'keydown',
    (e) => {
      const start = e.timeStamp;
      afterPaint(() => p.keys.push(performance.now() - start));
    },
    true,
  );
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) p.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
}

type Probe = {
  ready: number;
  readyChars: number;
  firstRow: number;
  arrived: Record<string, number>;
  shown: Record<string, number>;
  painted: Record<string, number>;
  keys: number[];
  longTasks: number[];
};
const readProbe = (page: Page) => page.evaluate(() => (window as unknown as { __probe: Probe }).__probe);

function stats(values: number[]): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms (n=${values.length})`;
}

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Time from connecting (the upgrade included) to the `ready` frame, and its size, as a raw socket sees them. */
async function readyOverSocket(server: TestServer, userId: number, token: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const ws = new WebSocket(server.wsUrlFor(userId), { headers: { Authorization: `Bearer ${token}` } });
  const bytes = await new Promise<number>((resolve) =>
    ws.on('message', (data: Buffer) => {
      if (data.subarray(0, 40).toString().includes('"type":"ready"')) resolve(data.length);
    }),
  );
  const ms = performance.now() - started;
  ws.close();
  return { ms, bytes };
}

/** Signed-in clients of the oldest rooms (the bottom of the agent's list), each able to send in its room. */
async function connectSenders(server: TestServer, many: ManyRooms): Promise<{ client: ChatClient; roomId: number }[]> {
  const senders = [];
  for (const room of many.rooms.slice(0, SENDERS)) {
    const { token } = await server.login(room.client.username);
    const client = new ChatClient({ url: server.url, userId: room.client.id, WebSocket: nodeWebSocket(token) });
    const ready = new Promise<void>((resolve) => client.on('ready', () => resolve()));
    client.connect();
    await ready;
    senders.push({ client, roomId: room.id });
  }
  return senders;
}

async function afterPaintIn(page: Page, action: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    (window as unknown as { __t0: number }).__t0 = performance.now();
  });
  await action();
  return page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - (window as unknown as { __t0: number }).__t0), 0)),
      ),
  );
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('Chromium is needed');
  await build({ root: webDir, configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  const server = await startTestServer();
  const browser = await launchBrowser();
  try {
    const t = performance.now();
    const many = await seedSupportRooms(server, ROOMS);
    print(`seeded ${ROOMS} support rooms for ${many.agent.displayName} in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const { token } = await server.login('support1');
    const readies = [];
    for (let i = 0; i < 5; i++) readies.push(await readyOverSocket(server, many.agent.id, token));
    const lists = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await server.store.listRoomsFor(many.agent.id);
      lists.push(performance.now() - started);
    }
    print(`server: store.listRoomsFor (the room list of ready, 2 queries) ${stats(lists)}`);
    print(`server: connect → ready ${stats(readies.map((r) => r.ms))}; ready frame ${(readies[0]!.bytes / 1024).toFixed(0)} KiB`);

    const sam = await signIn(browser, server.url, 'support1');
    const page = sam.page;
    // tsx wraps named functions and classes in __name(): the page has no such helper.
    await page.context().addInitScript({ content: `var __name = (f) => f; (${probe.toString()})();` });
    const cdp = await page.context().newCDPSession(page);

    // Page load with the panel showing the list (history remembers it across the reload).
    await openPanel(page);
    await page.locator('[data-room-id]').first().waitFor({ timeout: WAIT });
    const loads: { ready: number; firstRow: number }[] = [];
    for (let i = 0; i < 3; i++) {
      await page.reload();
      await chatsButton(page).waitFor({ timeout: WAIT });
      await openPanel(page);
      await page.locator('[data-room-id]').first().waitFor({ timeout: WAIT });
      const p = await readProbe(page);
      loads.push({ ready: p.ready, firstRow: p.firstRow });
    }
    print(`page load: navigation → ready frame ${stats(loads.map((l) => l.ready))}`);
    print(`page load: navigation → first row of the list ${stats(loads.map((l) => l.firstRow))}`);

    // Opening the panel on the list: mounting it.
    const opens = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Escape');
      await panel(page).waitFor({ state: 'hidden', timeout: WAIT });
      opens.push(await afterPaintIn(page, () => chatsButton(page).click()));
      await page.locator('[data-room-id]').first().waitFor({ timeout: WAIT });
    }
    print(`open the panel on the list (click → painted) ${stats(opens)}`);

    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    const rows = await page.locator('[data-room-id]').count();
    print(`memory with the list shown: JS heap ${(metric('JSHeapUsedSize') / 2 ** 20).toFixed(1)} MiB, DOM nodes ${metric('Nodes')}, room rows in the DOM ${rows}`);

    // Typing in the list's search box: each key narrows (or, Escape, restores) the list of all rooms.
    const search = page.getByRole('searchbox', { name: 'Search conversations' });
    const searchKeys: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.evaluate(() => ((window as unknown as { __probe: Probe }).__probe.keys.length = 0));
      await search.pressSequentially(`client ${1234 + i}`, { delay: 30 });
      await search.press('Escape');
      await sleep(100);
      searchKeys.push(...(await readProbe(page)).keys);
    }
    print(`keystroke in the list's search box → painted (${ROOMS} rooms): ${stats(searchKeys)}`);

    // A message in a room far down the list, until the list shows it at the top.
    const senders = await connectSenders(server, many);
    await page.evaluate(() => ((window as unknown as { __probe: Probe }).__probe.longTasks.length = 0));
    let n = 0;
    for (const { client, roomId } of senders) {
      await client.send({ roomId, content: `BENCH-${++n} where is my cleaner?` });
      await page.waitForFunction((m) => m in (window as unknown as { __probe: Probe }).__probe.painted, `BENCH-${n}`, { timeout: WAIT });
      await sleep(100);
    }
    const p = await readProbe(page);
    const moved = Object.keys(p.painted).map((m) => (p.shown[m] ?? 0) - (p.arrived[m] ?? 0));
    const movedPaint = Object.keys(p.painted).map((m) => (p.painted[m] ?? 0) - (p.arrived[m] ?? 0));
    print(`list update, a room from far down to the top: frame → DOM ${stats(moved)}; frame → painted ${stats(movedPaint)}`);
    print(`  long tasks meanwhile: ${stats(p.longTasks)}`);

    // Keystrokes in an open room while messages arrive in other rooms.
    // The room at the top (the last sender's); the messages arrive in the other senders' rooms.
    const open = senders.pop()!;
    await page.locator(`[data-room-id="${open.roomId}"]`).click();
    const box = page.getByLabel('Message', { exact: true });
    await box.waitFor({ timeout: WAIT });
    const typeLine = async () => {
      await page.evaluate(() => ((window as unknown as { __probe: Probe }).__probe.keys.length = 0));
      await box.pressSequentially('The cleaner arrives at nine tomorrow morning', { delay: 30 });
      await box.fill('');
      return (await readProbe(page)).keys;
    };
    const quiet = await typeLine();
    await page.evaluate(() => ((window as unknown as { __probe: Probe }).__probe.longTasks.length = 0));
    let sending = true;
    const traffic = (async () => {
      let i = 0;
      while (sending) {
        const s = senders[i++ % senders.length]!;
        void s.client.send({ roomId: s.roomId, content: `Traffic ${i}` });
        await sleep(50);
      }
    })();
    const busy = await typeLine();
    sending = false;
    await traffic;
    print(`keystroke → painted, quiet: ${stats(quiet)}`);
    print(`keystroke → painted, 20 messages/s in 19 other rooms: ${stats(busy)}`);
    print(`  long tasks meanwhile: ${stats((await readProbe(page)).longTasks)}`);

    for (const s of [...senders, open]) s.client.close();
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
