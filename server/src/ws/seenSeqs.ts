/**
 * Which of a room's messages one socket was sent, for redeliveries: a retried
 * send found already stored is announced again (in case the node that stored
 * it died first), and only to sockets that do not hold it.
 *
 * Per room, the highest seq sent by `ready` (each room's last seq: the client
 * fetches up to it) or by a `message` — messages reach a socket in seq order,
 * so at or below it the client holds the message or fetches it for the gap it
 * sees before a later seq. The `ack` of the socket's own send also carries a
 * message, but it may come before lower seqs the room sequencer still has to
 * release (another node's messages, fetched for a gap and sent as
 * redeliveries), so it marks only its own seq; it raises the highest seq only
 * when it follows it directly.
 */

/** Acked seqs kept per room above its highest: past it the oldest is forgotten (a redelivery of it is then sent, a duplicate the client drops by seq). */
const MAX_ACKED_ABOVE = 64;

export class SeenSeqs {
  private readonly highest = new Map<number, number>();
  /**
   * Seqs above `highest` that this socket was sent as the acks of its own sends. Made on first use:
   * an ack ahead of its room's order is rare, and an empty Map costs ~180 bytes on every socket.
   */
  private ackedAbove: Map<number, Set<number>> | null = null;

  /** Whether to send the room's message `seq`; remembers it when sent. */
  admit(roomId: number, seq: number, redelivery: boolean): boolean {
    const seen = this.highest.get(roomId) ?? 0;
    if (redelivery && (seq <= seen || this.ackedAbove?.get(roomId)?.has(seq))) return false;
    if (seq > seen) this.raise(roomId, seq);
    return true;
  }

  /** The socket was sent `seq` as the ack of its own send. */
  acked(roomId: number, seq: number): void {
    const seen = this.highest.get(roomId) ?? 0;
    if (seq <= seen) return;
    if (seq === seen + 1) {
      this.raise(roomId, seq);
      return;
    }
    this.ackedAbove ??= new Map();
    let acked = this.ackedAbove.get(roomId);
    if (!acked) this.ackedAbove.set(roomId, (acked = new Set()));
    acked.add(seq);
    if (acked.size > MAX_ACKED_ABOVE) acked.delete(Math.min(...acked));
  }

  /** The rooms of `ready`, each up to its last seq. */
  rememberRooms(rooms: readonly { id: number; lastSeq: number }[]): void {
    for (const room of rooms) {
      if (room.lastSeq > (this.highest.get(room.id) ?? 0)) this.raise(room.id, room.lastSeq);
    }
  }

  /** Everything up to `seq` is held; acked seqs that now follow on directly are too. */
  private raise(roomId: number, seq: number): void {
    let top = seq;
    const acked = this.ackedAbove?.get(roomId);
    if (acked) {
      for (const s of acked) if (s <= top) acked.delete(s);
      while (acked.delete(top + 1)) top += 1;
      if (acked.size === 0) this.ackedAbove?.delete(roomId);
    }
    this.highest.set(roomId, top);
  }
}
