/**
 * A load-generator process. The orchestrator forks several of these (pinned
 * to their own core) and drives them over the IPC channel: connect this
 * process's share of the users, send at a given rate, then settle which
 * messages arrived. Each process holds at most a few thousand sockets, so
 * no process comes near the open-file limit.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LatencyHistogram } from '../histogram.ts';
import { clientIdOf, parseClientId, timeHead, ReceiverLedger, SenderLedger } from '../ledger.ts';
import { loadFixtures, RoomIndex, type FixtureUser } from '../fixtures.ts';
import { Command, wallNow, type ErrorCounts, type WorkerEvent } from './ipc.ts';
import type { Connection, ConnectionEvents, Connector, Delivered } from './driver.ts';
import { connectEcc } from './eccDriver.ts';
import { connectSio } from './sioDriver.ts';
import { ChurnRun } from './churn.ts';

/** Timer interval of the generator's own event-loop lag measurement. */
const LAG_RESOLUTION_MS = 10;

const TICK_MS = 4;

interface RunState {
  runTag: string;
  sender: SenderLedger;
  receiver: ReceiverLedger;
  sentAt: Map<string, number>;
  ackLatency: LatencyHistogram;
  latency: LatencyHistogram;
  perMessage: Map<string, [number, number]>;
  errors: ErrorCounts;
  acked: number;
  /** Recipients mark each fresh message read (`run`'s readReceipts). */
  readReceipts: boolean;
}

class Generator {
  private users: { user: FixtureUser; baseUrl: string }[] = [];
  private rooms = new RoomIndex([]);
  private connector: Connector = connectEcc;
  private readonly connections = new Map<number, Connection>();
  private run: RunState | null = null;
  private disconnects = 0;
  private churn: ChurnRun | null = null;
  /** Error frames outside a send run (e.g. answers to history requests). */
  private otherErrors: ErrorCounts = {};

  private readonly events: ConnectionEvents = {
    message: (recipientId, message) => this.onMessage(recipientId, message),
    ack: (senderId, clientId) => this.onAck(senderId, clientId),
    sendError: (_senderId, ref, code) => this.onSendError(ref, code),
    closed: () => {
      this.disconnects += 1;
    },
  };

  async handle(command: Command): Promise<WorkerEvent> {
    switch (command.cmd) {
      case 'init': {
        const fixtures = await loadFixtures(command.fixturePath);
        this.users = fixtures.users
          .slice(0, command.userLimit)
          .map((user, i) => ({ user, baseUrl: command.baseUrls[i % command.baseUrls.length] ?? '' }))
          .filter((_, i) => i % command.workerCount === command.workerIndex);
        this.rooms = new RoomIndex([...fixtures.rooms, ...command.extraRooms]);
        this.connector = command.protocol === 'sio' ? connectSio : connectEcc;
        return { ev: 'inited', users: this.users.length };
      }
      case 'connect':
        return this.connectAll(command.maxInFlight);
      case 'run':
        return this.sendAtRate(command);
      case 'settle':
        return this.settle(command);
      case 'history':
        return this.historyLoop(command);
      case 'churn':
        this.churn = new ChurnRun(this.users, this.rooms, this.connector, command);
        return { ev: 'churning' };
      case 'churnStatus':
        return { ev: 'churnStatus', counts: this.requireChurn().counts };
      case 'churnStop':
        return this.stopChurn();
      case 'close':
        for (const connection of this.connections.values()) connection.close();
        this.connections.clear();
        return { ev: 'closed' };
    }
  }

  private async connectAll(maxInFlight: number): Promise<WorkerEvent> {
    const readyLatency = new LatencyHistogram();
    const failures: string[] = [];
    let failed = 0;
    let lastReadyAt = 0;
    const startedAt = wallNow();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < this.users.length) {
        const entry = this.users[next];
        next += 1;
        if (!entry) continue;
        const { user, baseUrl } = entry;
        const t0 = wallNow();
        try {
          const connection = await this.connector(user, baseUrl, this.events);
          const t1 = wallNow();
          readyLatency.record(t1 - t0);
          lastReadyAt = Math.max(lastReadyAt, t1);
          this.connections.set(user.id, connection);
        } catch (error) {
          failed += 1;
          if (failures.length < 5) failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(maxInFlight, this.users.length) }, worker));
    return {
      ev: 'connected',
      connected: this.connections.size,
      failed,
      failures,
      startedAt,
      lastReadyAt,
      readyLatency: readyLatency.toJSON(),
    };
  }

  private requireChurn(): ChurnRun {
    if (!this.churn) throw new Error('no churn is running');
    return this.churn;
  }

  /** Stops the churn; its ledger and the users' last sockets become the run `settle` accounts for. */
  private async stopChurn(): Promise<WorkerEvent> {
    const churn = this.requireChurn();
    await churn.stop();
    this.connections.clear();
    for (const [userId, connection] of churn.finals) this.connections.set(userId, connection);
    this.run = {
      runTag: churn.plan.runTag,
      sender: churn.sender,
      receiver: churn.receiver,
      sentAt: new Map(),
      ackLatency: new LatencyHistogram(),
      latency: new LatencyHistogram(),
      perMessage: new Map(),
      errors: churn.errors,
      acked: churn.counts.acked,
      readReceipts: false,
    };
    return { ev: 'churned', counts: churn.counts, errors: churn.errors, failures: churn.failures, reports: churn.sender.report() };
  }

  private async sendAtRate(command: Extract<Command, { cmd: 'run' }>): Promise<WorkerEvent> {
    const run: RunState = {
      runTag: command.runTag,
      sender: new SenderLedger(),
      receiver: new ReceiverLedger(),
      sentAt: new Map(),
      ackLatency: new LatencyHistogram(),
      latency: new LatencyHistogram(),
      perMessage: new Map(),
      errors: {},
      acked: 0,
      readReceipts: command.readReceipts ?? false,
    };
    this.run = run;
    this.disconnects = 0;
    const senders = command.senders
      ? command.senders.filter((s) => this.connections.has(s.userId))
      : [...this.connections.keys()].flatMap((userId) => this.rooms.roomsOf(userId).map((roomId) => ({ userId, roomId })));
    shuffle(senders);
    // With an explicit sender list the rate is for the whole list; this
    // process sends for the share of it whose users it holds.
    const ratePerSec = command.senders
      ? (command.ratePerSec * senders.length) / Math.max(1, command.senders.length)
      : command.ratePerSec;
    const padding = 'x'.repeat(command.contentBytes);
    let sent = 0;
    let cursor = 0;
    const startedAt = wallNow();
    const endAt = startedAt + command.durationMs;
    // A stalled generator stamps deliveries late, which reads as server latency: its own lag is reported.
    const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    lag.enable();
    if (senders.length > 0 && ratePerSec > 0) {
      for (;;) {
        const now = wallNow();
        const elapsed = Math.min(now, endAt) - startedAt;
        // Open loop: what is due by the clock is sent, even after a stall,
        // so a slow server cannot slow the offered load down (no coordinated omission).
        const due = Math.floor((ratePerSec * elapsed) / 1000) - sent;
        // One time-ordered head per tick (what a client's UUIDv7 keys start with): cheaper than a key per message.
        const head = timeHead();
        for (let i = 0; i < due; i += 1) {
          const pair = senders[cursor];
          cursor = (cursor + 1) % senders.length;
          if (!pair) continue;
          const connection = this.connections.get(pair.userId);
          if (!connection) continue;
          const n = run.sender.next(pair.roomId, pair.userId);
          const clientId = clientIdOf(run.runTag, pair.userId, pair.roomId, n, head);
          const at = wallNow();
          run.sentAt.set(clientId, at);
          connection.send(pair.roomId, clientId, `${at.toFixed(3)}|${padding}`);
          sent += 1;
        }
        if (now >= endAt) break;
        await sleep(TICK_MS);
      }
    }
    const endedAt = wallNow();
    const ackDeadline = endedAt + command.ackTimeoutMs;
    while (run.sender.pendingCount > Object.values(run.errors).reduce((a, b) => a + b, 0) && wallNow() < ackDeadline) {
      await sleep(20);
    }
    lag.disable();
    // The histogram holds whole timer intervals; the lag is what exceeds the resolution.
    const lateBy = (ns: number) => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);
    return {
      ev: 'ran',
      sent,
      acked: run.acked,
      ackLatency: run.ackLatency.toJSON(),
      errors: run.errors,
      disconnects: this.disconnects,
      reports: run.sender.report(),
      startedAt,
      endedAt,
      loopLag: { p99Ms: lateBy(lag.percentile(99)), maxMs: lateBy(lag.max) },
    };
  }

  private async settle(command: Extract<Command, { cmd: 'settle' }>): Promise<WorkerEvent> {
    const run = this.run;
    if (!run || run.runTag !== command.runTag) throw new Error(`settle for unknown run ${command.runTag}`);
    const local = new Set(this.connections.keys());
    const deadline = wallNow() + command.timeoutMs;
    let totals = run.receiver.settle(command.reports, this.rooms.participantsOf, local);
    while (totals.lost > 0 && wallNow() < deadline) {
      await sleep(100);
      totals = run.receiver.settle(command.reports, this.rooms.participantsOf, local);
    }
    const event: WorkerEvent = { ev: 'settled', totals, latency: run.latency.toJSON() };
    if (command.perMessage) event.perMessage = Object.fromEntries(run.perMessage);
    return event;
  }

  private async historyLoop(command: Extract<Command, { cmd: 'history' }>): Promise<WorkerEvent> {
    if (command.requests === 0) return { ev: 'history', latency: new LatencyHistogram().toJSON(), errors: {} };
    const connection = [...this.connections.values()].find((c) => this.rooms.participantsOf(command.roomId).includes(c.userId));
    if (!connection) throw new Error(`no local participant of room ${command.roomId}`);
    const latency = new LatencyHistogram();
    this.run = null;
    this.otherErrors = {};
    for (let i = 0; i < command.warmup + command.requests; i += 1) {
      // Spread over the whole room, so most pages are deep in old history.
      const beforeSeq = 1 + Math.floor(Math.random() * command.maxSeq);
      const t0 = wallNow();
      await connection.history(command.roomId, beforeSeq, command.limit);
      if (i >= command.warmup) latency.record(wallNow() - t0);
    }
    return { ev: 'history', latency: latency.toJSON(), errors: this.otherErrors };
  }

  private onMessage(recipientId: number, message: Delivered): void {
    const run = this.run;
    if (!run || message.senderId === recipientId) return;
    const parsed = parseClientId(run.runTag, message.clientId);
    if (!parsed) return;
    const fresh = run.receiver.receive(recipientId, message.roomId, parsed.senderId, parsed.n, message.seq);
    if (!fresh) return;
    if (run.readReceipts) this.connections.get(recipientId)?.read?.(message.roomId, message.seq);
    const sentAt = Number(message.content.slice(0, message.content.indexOf('|')));
    const latency = wallNow() - sentAt;
    run.latency.record(latency);
    const key = `${parsed.senderId}.${parsed.n}`;
    const entry = run.perMessage.get(key);
    if (entry) {
      entry[0] = Math.max(entry[0], latency);
      entry[1] += 1;
    } else run.perMessage.set(key, [latency, 1]);
  }

  private onAck(senderId: number, clientId: string): void {
    const run = this.run;
    if (!run) return;
    const parsed = parseClientId(run.runTag, clientId);
    if (!parsed || parsed.senderId !== senderId) return;
    if (!run.sender.ack(parsed.roomId, senderId, parsed.n)) return;
    run.acked += 1;
    const sentAt = run.sentAt.get(clientId);
    if (sentAt !== undefined) {
      run.ackLatency.record(wallNow() - sentAt);
      run.sentAt.delete(clientId);
    }
  }

  private onSendError(_ref: string | undefined, code: string): void {
    const errors = this.run ? this.run.errors : this.otherErrors;
    errors[code] = (errors[code] ?? 0) + 1;
  }
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const generator = new Generator();
let queue = Promise.resolve();
process.on('message', (raw: unknown) => {
  // Commands run one after another, in the order they came.
  queue = queue.then(async () => {
    let event: WorkerEvent;
    try {
      event = await generator.handle(Command.parse(raw));
    } catch (error) {
      event = { ev: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    process.send?.(event);
    if (event.ev === 'closed') setTimeout(() => process.exit(0), 200);
  });
});
process.on('disconnect', () => process.exit(0));
