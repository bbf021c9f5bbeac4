/**
 * Load-test users and rooms, made by the project's fixtures command
 * (`npm run fixtures -- --users N --rooms-per-user K --out FILE`).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export const Fixtures = z.object({
  users: z.array(z.object({ id: z.number().int(), username: z.string(), token: z.string() })),
  rooms: z.array(z.object({ id: z.number().int(), participantIds: z.array(z.number().int()) })),
});
export type Fixtures = z.infer<typeof Fixtures>;
export type FixtureUser = Fixtures['users'][number];

export async function loadFixtures(file: string): Promise<Fixtures> {
  return Fixtures.parse(JSON.parse(await readFile(file, 'utf8')));
}

/** Room lookups the generator needs many times. */
export class RoomIndex {
  private readonly participants = new Map<number, number[]>();
  private readonly roomsOfUser = new Map<number, number[]>();

  constructor(rooms: Fixtures['rooms']) {
    for (const room of rooms) this.add(room.id, room.participantIds);
  }

  add(roomId: number, participantIds: number[]): void {
    this.participants.set(roomId, participantIds);
    for (const userId of participantIds) {
      const list = this.roomsOfUser.get(userId);
      if (list) list.push(roomId);
      else this.roomsOfUser.set(userId, [roomId]);
    }
  }

  participantsOf = (roomId: number): readonly number[] => this.participants.get(roomId) ?? [];

  roomsOf(userId: number): readonly number[] {
    return this.roomsOfUser.get(userId) ?? [];
  }
}
