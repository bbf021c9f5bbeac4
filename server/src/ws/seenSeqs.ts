/**
 * The highest seq of each room one socket was sent, by `ready` (each room's
 * last seq: the client fetches up to it), by a `message`, or by the `ack` of
 * its own send (which carries the message). A redelivery — a
 * retried send found already stored, announced again in case the node that
 * stored it died first — is sent only above it: at or below, the client holds
 * the message or fetches it for the gap it sees before a later seq.
 */
export class SeenSeqs {
  private readonly highest = new Map<number, number>();

  /** Whether to send the room's message `seq`; remembers it when sent. */
  admit(roomId: number, seq: number, redelivery: boolean): boolean {
    const seen = this.highest.get(roomId) ?? 0;
    if (redelivery && seq <= seen) return false;
    if (seq > seen) this.highest.set(roomId, seq);
    return true;
  }

  /** The rooms of `ready`, each up to its last seq. */
  rememberRooms(rooms: readonly { id: number; lastSeq: number }[]): void {
    for (const room of rooms) {
      if (room.lastSeq > (this.highest.get(room.id) ?? 0)) this.highest.set(room.id, room.lastSeq);
    }
  }
}
