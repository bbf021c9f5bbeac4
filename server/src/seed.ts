/**
 * Demo data for an empty database, so a new user sees something alive:
 * five accounts (password `demo`), a job of client1 assigned to cleaner1
 * with a friendly conversation, and open jobs to accept.
 */
import { jobAcceptedNotice, type Role, type User } from '@ecc/protocol';
import { hashPassword } from './auth/passwords.ts';
import type { Store } from './storage/store.ts';

export const DEMO_PASSWORD = 'demo';

export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'client1', displayName: 'Alice Client', role: 'client' },
  { username: 'client2', displayName: 'Carol Client', role: 'client' },
  { username: 'cleaner1', displayName: 'Bob Cleaner', role: 'cleaner' },
  { username: 'cleaner2', displayName: 'Dan Cleaner', role: 'cleaner' },
  { username: 'support1', displayName: 'Sam Support', role: 'support' },
];

export interface DemoData {
  users: Record<string, User>;
  /** client1's job, assigned to cleaner1. */
  assignedJobId: number;
  /** The chat room of that job. */
  roomId: number;
  /** client2's open job. */
  openJobId: number;
}

/** Creates the demo accounts, jobs and messages. Call on an empty database only. */
export async function seedDemo(store: Store): Promise<DemoData> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users: Record<string, User> = {};
  for (const u of DEMO_USERS) users[u.username] = await store.createUser({ ...u, passwordHash });
  const alice = users.client1 as User;
  const bob = users.cleaner1 as User;
  const carol = users.client2 as User;

  const job = await store.createJob({
    clientId: alice.id,
    title: 'Deep clean of a 2-bedroom flat',
    description: 'Kitchen, bathroom and both bedrooms. Windows inside only.',
    address: '12 Rosemary Lane, Flat 3',
    scheduledAt: daysAheadAt(2, '09:00'),
  });
  const assigned = await store.assignJob(job.id, bob.id, jobAcceptedNotice(bob.displayName));
  if (!assigned) throw new Error('seed: could not assign the demo job');
  const conversation: [User, string][] = [
    [alice, 'Hi Bob! Thanks for taking the job. The key is with the concierge downstairs.'],
    [bob, 'Hello Alice, great, I will pick it up at 9.'],
    [bob, 'Anything special about the kitchen?'],
    [alice, 'The oven could use some love 🙂 Cleaning products are under the sink.'],
  ];
  const results = await store.appendMessages(
    conversation.map(([sender, content], i) => ({
      roomId: assigned.roomId,
      senderId: sender.id,
      type: 'text' as const,
      content,
      clientId: `seed-${i + 1}`,
    })),
  );
  if (results.some((r) => !r.ok)) throw new Error('seed: could not store the demo conversation');
  // Alice has read everything; Bob read up to his first line (his second is his own, never unread) and
  // has her answer unread. (The seed once ended with Bob's reply after an unread line of Alice's: his
  // list showed "You: …" with an unread badge, a state no one can reach.)
  await store.markRead(assigned.roomId, alice.id, 5);
  await store.markRead(assigned.roomId, bob.id, 3);

  const open = await store.createJob({
    clientId: carol.id,
    title: 'Window cleaning, terraced house',
    description: 'All windows inside and out, ground and first floor.',
    address: '4 Orchard Row',
    scheduledAt: daysAheadAt(5, '14:00'),
  });
  await store.createJob({ clientId: alice.id, title: 'End-of-tenancy clean', description: 'Whole flat, including the balcony.' });
  return { users, assignedJobId: job.id, roomId: assigned.roomId, openJobId: open.id };
}

/** "2026-11-30T09:00": a job's time is the time at the address, written with no zone (as the post form sends it). */
function daysAheadAt(days: number, time: string): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${time}`;
}
