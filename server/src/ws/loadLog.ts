/**
 * New messages delivered on this node while some socket is loading its
 * `ready` snapshot, so a message stored between the snapshot and the room
 * subscription still reaches that socket (the hub replays them in
 * `joinRooms`). Each load counts from its own start to its own end: two
 * loads begun with no message in between share a mark, counted twice.
 */
import type { UnreadUpdate } from './unreadGate.ts';

export interface LoggedMessage {
  /** Position in the log: a load replays the entries at or after its mark. */
  n: number;
  roomId: number;
  seq: number;
  redelivery: boolean;
  /** The `message` frame, serialized. */
  text: string;
  /** Each recipient's count that came with it. */
  unread: Map<number, UnreadUpdate>;
}

export class LoadLog {
  private entries: LoggedMessage[] = [];
  private counter = 0;
  /** Marks of the loads in progress, with how many began at each. */
  private readonly active = new Map<number, number>();

  /** Messages kept (for tests and memory checks). */
  get size(): number {
    return this.entries.length;
  }

  /** Whether some load is in progress (new messages are then logged). */
  get recording(): boolean {
    return this.active.size > 0;
  }

  /** Call before reading a socket's snapshot; the mark is for `since` and `end`. */
  begin(): number {
    const mark = this.counter;
    this.active.set(mark, (this.active.get(mark) ?? 0) + 1);
    return mark;
  }

  /** Once per `begin`: entries no load in progress needs are dropped. */
  end(mark: number): void {
    const loads = this.active.get(mark) ?? 0;
    if (loads > 1) {
      this.active.set(mark, loads - 1);
      return;
    }
    this.active.delete(mark);
    const oldest = Math.min(...this.active.keys());
    this.entries = this.entries.filter((e) => e.n >= oldest);
  }

  record(roomId: number, seq: number, text: string, redelivery: boolean, unread: Map<number, UnreadUpdate>): void {
    this.entries.push({ n: this.counter++, roomId, seq, redelivery, text, unread });
  }

  /** The entries logged since `mark` in these rooms, in order. */
  since(mark: number, roomIds: ReadonlySet<number>): LoggedMessage[] {
    return this.entries.filter((e) => e.n >= mark && roomIds.has(e.roomId));
  }
}
