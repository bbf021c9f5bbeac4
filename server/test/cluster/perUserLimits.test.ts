/**
 * The contract's per-user limits hold for the user, not per node: with tabs
 * on two real node processes, the socket cap and the send rate limit count
 * every tab of the user wherever it is connected, and the sign-in throttle
 * counts guesses, and the staff room-open pace support staff's joins, wherever
 * the load balancer sends them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode, type ServerFrame } from '@ecc/protocol';
import { TEST_REDIS_URL, sharedRedisGate, waitUntil } from './support/redis.ts';
import { NodeGroup, postgresGate, type ChatNode } from './support/nodes.ts';
import { login } from './support/tabs.ts';

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

/** A raw socket of the contract, recording what it was sent and how it closed. */
class RawTab {
  readonly frames: ServerFrame[] = [];
  closeCode: number | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as ServerFrame));
    ws.on('close', (code) => (this.closeCode = code));
  }

  static open(node: ChatNode, session: { user: { id: number }; token: string }): RawTab {
    return new RawTab(new WebSocket(`ws://127.0.0.1:${node.port}/ws/user/${session.user.id}/`, { headers: { Authorization: `Bearer ${session.token}` } }));
  }

  /** Resolves with `ready` or with the close code, whichever comes first. */
  async outcome(): Promise<'ready' | number> {
    await waitUntil('ready or close', () => this.closeCode !== undefined || this.frames.some((f) => f.type === 'ready'));
    return this.closeCode ?? 'ready';
  }

  /** Sends one message and resolves with `ack` or the error code answering it. */
  async send(roomId: number, content: string): Promise<string> {
    const ref = randomUUID();
    this.ws.send(JSON.stringify({ type: 'send', ref, roomId, clientId: randomUUID(), content }));
    let answer: ServerFrame | undefined;
    await waitUntil('send answered', () => (answer = this.frames.find((f) => 'ref' in f && f.ref === ref)) !== undefined);
    if (answer?.type === 'error') return answer.code;
    return answer?.type ?? 'nothing';
  }

  close(): void {
    this.ws.close();
  }
}

describe.skipIf(!servicesUp)('per-user limits across nodes', { timeout: 90_000 }, () => {
  let group: NodeGroup;
  let a: ChatNode;
  let b: ChatNode;
  const tabs: RawTab[] = [];
  const open = (node: ChatNode, session: Awaited<ReturnType<typeof login>>) => {
    const tab = RawTab.open(node, session);
    tabs.push(tab);
    return tab;
  };

  beforeAll(async () => {
    group = await NodeGroup.create(TEST_REDIS_URL);
    const limits = { MAX_SOCKETS_PER_USER: '3', SEND_RATE_LIMIT: '5', SEND_RATE_WINDOW_MS: '60000', LOGIN_MAX_FAILURES: '3' };
    a = await group.start('A', limits);
    b = await group.start('B', limits);
  }, 120_000);

  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await group?.close();
  });

  it('closes the user’s socket past the cap with 4429 whichever node it reaches, and frees a place when one closes', async () => {
    const alice = await login(a.url, 'client1');
    const first = open(a, alice);
    const second = open(b, alice);
    const third = open(a, alice);
    expect(await Promise.all([first.outcome(), second.outcome(), third.outcome()])).toEqual(['ready', 'ready', 'ready']);
    // Node B holds one of Alice's sockets, far below the cap on its own.
    expect(await open(b, alice).outcome()).toBe(CloseCode.TOO_MANY_SOCKETS);
    expect(await open(a, alice).outcome()).toBe(CloseCode.TOO_MANY_SOCKETS);
    // Another user is not affected.
    expect(await open(b, await login(b.url, 'cleaner1')).outcome()).toBe('ready');

    first.close();
    await waitUntil('first socket closed', () => first.closeCode !== undefined);
    await waitUntil('a place is free again', async () => (await open(b, alice).outcome()) === 'ready');
    for (const tab of [second, third]) expect(tab.closeCode).toBeUndefined();
  });

  it('counts a user’s sends through every node against one rate limit, and stores none past it', async () => {
    const bob = await login(b.url, 'cleaner1');
    const onA = open(a, bob);
    expect(await onA.outcome()).toBe('ready');
    const ready = onA.frames.find((f) => f.type === 'ready');
    const roomId = ready?.type === 'ready' ? ready.rooms[0]?.id : undefined;
    if (roomId === undefined) throw new Error('cleaner1 has no room in the demo data');

    // Sent while all of Bob's sockets are on node A: counted there alone.
    const answers: string[] = [];
    for (let i = 0; i < 2; i++) answers.push(await onA.send(roomId, `rate ${i}`));
    // A second tab, on node B: from now on both nodes count Bob's sends together, A's two included.
    const onB = open(b, bob);
    expect(await onB.outcome()).toBe('ready');
    for (let i = 2; i < 8; i++) answers.push(await (i % 2 ? onA : onB).send(roomId, `rate ${i}`));
    expect(answers).toEqual(['ack', 'ack', 'ack', 'ack', 'ack', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);

    onA.ws.send(JSON.stringify({ type: 'history', ref: 'h', roomId, limit: 20 }));
    let page: ServerFrame | undefined;
    await waitUntil('history', () => (page = onA.frames.find((f) => f.type === 'history')) !== undefined);
    const stored = page?.type === 'history' ? page.messages.filter((m) => m.content.startsWith('rate ')).map((m) => m.content) : [];
    expect(stored).toEqual(['rate 0', 'rate 1', 'rate 2', 'rate 3', 'rate 4']);
  });

  it('counts sign-in guesses through every node against one limit', async () => {
    const guess = (node: ChatNode, password: string) =>
      fetch(`${node.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'cleaner2', password }) });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await guess(i % 2 ? a : b, `guess${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Even the right password waits out the window, on either node.
    expect((await guess(a, 'demo')).status).toBe(429);
  });

  it('counts a support agent’s room joins through every node against one limit (30 in all, not 30 per node)', async () => {
    const alice = await login(a.url, 'client1');
    const listed = (await (await fetch(`${a.url}/api/jobs`, { headers: { Authorization: `Bearer ${alice.token}` } })).json()) as { jobs: { roomId?: number | null }[] };
    const roomId = listed.jobs.find((job) => job.roomId)?.roomId;
    if (!roomId) throw new Error('client1 has no job room in the demo data');
    const sam = await login(a.url, 'support1');
    const join = (node: ChatNode) => fetch(`${node.url}/api/rooms/${roomId}/join`, { method: 'POST', headers: { Authorization: `Bearer ${sam.token}` } });
    // The default limit (STAFF_ROOM_OPEN_LIMIT 30 per 30 s), the requests spread over both nodes as a load balancer would.
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await join(i % 2 ? a : b)).status);
    expect(statuses).toEqual([...Array<number>(30).fill(200), 429, 429]);
    const refused = await join(a);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
  });
});
