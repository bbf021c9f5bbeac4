/**
 * The churn scenario inside one generator: each user's socket lives a random
 * short time, closes, and the same user connects again (some with a second
 * tab open beside the first), while sending, marking read and typing as a
 * person does. The first tab recovers what it missed the protocol's way
 * (`ready`'s lastSeq, then `history {afterSeq}`) and resends what was never
 * acked under the same clientId, so the ledger can say whether anything was
 * lost or duplicated across all the reconnects.
 */
import { clientIdOf, parseClientId, ReceiverLedger, SenderLedger } from '../ledger.ts';
import type { FixtureUser, RoomIndex } from '../fixtures.ts';
import type { Connection, ConnectionEvents, Connector, Delivered } from './driver.ts';
import type { ChurnCounts, ErrorCounts } from './ipc.ts';

export interface ChurnPlan {
  runTag: string;
  minLifeMs: number;
  maxLifeMs: number;
  /** Share of connections made with a second tab beside the first. */
  secondTabShare: number;
  /** Mean time between two messages of one user. */
  sendEveryMs: number;
  contentBytes: number;
}

const CATCH_UP_PAGE = 100;
const ACK_WAIT_MS = 3000;
const SLICE_MS = 250;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number): number => min + Math.random() * (max - min);

/** One person: what they hold (per room, the seqs they have) and what they sent that is not acked yet. */
interface Person {
  user: FixtureUser;
  baseUrl: string;
  seen: Map<number, Set<number>>;
  held: Map<number, number>;
  pending: Map<string, { roomId: number; content: string }>;
}

export class ChurnRun {
  readonly sender = new SenderLedger();
  readonly receiver = new ReceiverLedger();
  readonly counts: ChurnCounts = { cycles: 0, connects: 0, connectFailures: 0, unexpectedCloses: 0, sent: 0, resent: 0, acked: 0, historyPages: 0 };
  readonly errors: ErrorCounts = {};
  readonly failures: string[] = [];
  /** Each person's first tab, left open when the run stops (to settle the ledger). */
  readonly finals = new Map<number, Connection>();
  private stopping = false;
  private readonly lives: Promise<void>[];

  constructor(
    people: { user: FixtureUser; baseUrl: string }[],
    private readonly rooms: RoomIndex,
    private readonly connector: Connector,
    readonly plan: ChurnPlan,
  ) {
    this.lives = people.map((p) => this.live({ ...p, seen: new Map(), held: new Map(), pending: new Map() }));
  }

  /** Ends every life at its next step; resolves once each person has one caught-up socket open. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.lives);
  }

  private async live(person: Person): Promise<void> {
    // Spread the first connects over the shortest life, as people arrive.
    await sleep(Math.random() * this.plan.minLifeMs);
    for (;;) {
      const first = await this.open(person, true);
      if (!first) {
        if (this.stopping) return;
        await sleep(1000);
        continue;
      }
      const second = Math.random() < this.plan.secondTabShare ? await this.open(person, false) : null;
      await this.chat(person, first);
      if (second) this.close(second.connection, second.state);
      // Leave once what was sent is acked (else it is resent on the next connect).
      const ackBy = performance.now() + ACK_WAIT_MS;
      while (person.pending.size > 0 && first.state.open && performance.now() < ackBy) await sleep(50);
      if (this.stopping && first.state.open) {
        this.finals.set(person.user.id, first.connection);
        return;
      }
      this.close(first.connection, first.state);
    }
  }

  /** Sends, types and reads until the socket's life is over (or the run stops). */
  private async chat(person: Person, tab: Tab): Promise<void> {
    const roomIds = this.rooms.roomsOf(person.user.id);
    const endAt = performance.now() + between(this.plan.minLifeMs, this.plan.maxLifeMs);
    let nextSendAt = performance.now() + between(0, 2 * this.plan.sendEveryMs);
    while (!this.stopping && tab.state.open && performance.now() < endAt) {
      if (performance.now() >= nextSendAt && roomIds.length > 0) {
        const roomId = roomIds[Math.floor(Math.random() * roomIds.length)] ?? 0;
        tab.connection.typing?.(roomId, true);
        const n = this.sender.next(roomId, person.user.id);
        const clientId = clientIdOf(this.plan.runTag, person.user.id, roomId, n);
        const content = `${Date.now()}|${'x'.repeat(this.plan.contentBytes)}`;
        person.pending.set(clientId, { roomId, content });
        tab.connection.send(roomId, clientId, content);
        tab.connection.typing?.(roomId, false);
        this.counts.sent += 1;
        nextSendAt = performance.now() + between(0, 2 * this.plan.sendEveryMs);
      }
      await sleep(Math.min(SLICE_MS, Math.max(1, endAt - performance.now())));
    }
  }

  /** Opens a tab; the first tab catches up, resends what is unacked, then takes live messages. */
  private async open(person: Person, first: boolean): Promise<Tab | null> {
    const state: TabState = { open: true, closing: false, catchingUp: first, buffered: [], connection: null };
    let connection: Connection;
    try {
      connection = await this.connector(person.user, person.baseUrl, this.eventsFor(person, state, first));
      state.connection = connection;
    } catch (error) {
      this.counts.connectFailures += 1;
      if (this.failures.length < 5) this.failures.push(error instanceof Error ? error.message : String(error));
      return null;
    }
    this.counts.connects += 1;
    if (!first) return { connection, state };
    const tab = { connection, state };
    await this.catchUp(person, tab);
    for (const [clientId, { roomId, content }] of person.pending) {
      connection.send(roomId, clientId, content);
      this.counts.resent += 1;
    }
    return tab;
  }

  private async catchUp(person: Person, { connection, state }: Tab): Promise<void> {
    for (const [roomId, lastSeq] of connection.readyLastSeq ?? []) {
      let hasMore = lastSeq > (person.held.get(roomId) ?? 0);
      while (hasMore && state.open) {
        const page = await connection.historyAfter?.(roomId, person.held.get(roomId) ?? 0, CATCH_UP_PAGE);
        if (!page) break;
        this.counts.historyPages += 1;
        for (const message of page.messages) this.take(person, connection, message);
        hasMore = page.hasMore && page.messages.length > 0;
      }
    }
    state.catchingUp = false;
    for (const message of state.buffered.splice(0)) this.take(person, connection, message);
  }

  /** A message the person now has (live or from history): once per seq, as a client merges them; marked read. */
  private take(person: Person, connection: Connection, message: Delivered): void {
    let seqs = person.seen.get(message.roomId);
    if (!seqs) person.seen.set(message.roomId, (seqs = new Set()));
    if (seqs.has(message.seq)) return;
    seqs.add(message.seq);
    person.held.set(message.roomId, Math.max(person.held.get(message.roomId) ?? 0, message.seq));
    const parsed = parseClientId(this.plan.runTag, message.clientId);
    if (!parsed || parsed.senderId === person.user.id) return;
    this.receiver.receive(person.user.id, message.roomId, parsed.senderId, parsed.n, message.seq);
    connection.read?.(message.roomId, message.seq);
  }

  private eventsFor(person: Person, state: TabState, first: boolean): ConnectionEvents {
    return {
      message: (_recipientId, message) => {
        if (!first || !state.open) return;
        if (state.catchingUp || !state.connection) state.buffered.push(message);
        else this.take(person, state.connection, message);
      },
      ack: (senderId, clientId) => {
        const parsed = parseClientId(this.plan.runTag, clientId);
        if (!parsed || parsed.senderId !== senderId) return;
        person.pending.delete(clientId);
        if (this.sender.ack(parsed.roomId, senderId, parsed.n)) this.counts.acked += 1;
      },
      sendError: (_senderId, ref, code) => {
        this.errors[code] = (this.errors[code] ?? 0) + 1;
        // A refused send is not retried: the ledger reports it unacked, not lost.
        if (ref !== undefined) person.pending.delete(ref);
      },
      closed: () => {
        if (!state.closing) this.counts.unexpectedCloses += 1;
        state.open = false;
      },
    };
  }

  private close(connection: Connection, state: TabState): void {
    state.closing = true;
    state.open = false;
    connection.close();
    this.counts.cycles += 1;
  }
}

interface TabState {
  open: boolean;
  /** The generator closed it (a server-side close is counted). */
  closing: boolean;
  /** Live messages wait while the tab fetches what it missed, then merge by seq. */
  catchingUp: boolean;
  buffered: Delivered[];
  /** Set once `ready` came (no message can come before it). */
  connection: Connection | null;
}

interface Tab {
  connection: Connection;
  state: TabState;
}
