/**
 * Jobs as each role sees them, support-agent choice and room closing, over
 * both dialects.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { jobRoom, makeUser } from './people.ts';

for (const dialect of DIALECTS) {
  describe(`jobs and support (${dialect})`, () => {
    const fixture = storeFixture(dialect, async (store) => ({
      client: await makeUser(store, 'client'),
      otherClient: await makeUser(store, 'client'),
      cleaner: await makeUser(store, 'cleaner'),
      otherCleaner: await makeUser(store, 'cleaner'),
    }));

    it('shows clients their own jobs, cleaners their assigned and all open jobs, support everything', async () => {
      const { store, client, otherClient, cleaner, otherCleaner } = fixture;
      const mineOpen = await store.createJob({ clientId: client.id, title: 'Windows', address: '1 Main St', scheduledAt: '2026-12-01T09:00:00.000Z' });
      const mineTaken = await store.createJob({ clientId: client.id, title: 'Oven' });
      const theirsTaken = await store.createJob({ clientId: otherClient.id, title: 'Garage' });
      const theirsOpen = await store.createJob({ clientId: otherClient.id, title: 'Stairs' });
      const assigned = await store.assignJob(mineTaken.id, cleaner.id, 'Cleaner assigned');
      await store.assignJob(theirsTaken.id, otherCleaner.id, 'Cleaner assigned');

      const ids = async (user: User) => (await store.listJobsFor(user)).map((j) => j.id).sort((a, b) => a - b);
      expect(await ids(client)).toEqual([mineOpen.id, mineTaken.id]);
      expect(await ids(cleaner)).toEqual([mineOpen.id, mineTaken.id, theirsOpen.id]);
      expect(await ids(otherCleaner)).toEqual([mineOpen.id, theirsTaken.id, theirsOpen.id]);
      expect(await ids(await makeUser(store, 'support'))).toEqual([mineOpen.id, mineTaken.id, theirsTaken.id, theirsOpen.id]);

      const listed = await store.listJobsFor(client);
      expect(listed.find((j) => j.id === mineTaken.id)).toMatchObject({ status: 'assigned', roomId: assigned?.roomId });
      expect(listed.find((j) => j.id === mineOpen.id)).toMatchObject({
        status: 'open',
        roomId: null,
        address: '1 Main St',
        scheduledAt: '2026-12-01T09:00:00.000Z',
      });
    });

    it("keeps a cleaner's own job in the list however many open jobs there are", async () => {
      const { store, client, otherClient, cleaner } = fixture;
      const own = await store.createJob({ clientId: client.id, title: 'First ever job' });
      await store.assignJob(own.id, cleaner.id, 'Cleaner assigned');
      for (let i = 0; i < 6; i++) await store.createJob({ clientId: otherClient.id, title: `Open ${i}` });
      const list = await store.listJobsFor(cleaner);
      expect(list[0]?.id).toBe(own.id);
      expect(list).toHaveLength(7);
    });

    it('names the job room after the job and refuses to assign a job that is no longer open', async () => {
      const { store, client, cleaner } = fixture;
      const job = await store.createJob({ clientId: client.id, title: 'Bathroom' });
      await store.setJobStatus(job.id, 'open', 'cancelled', 'Status changed to Cancelled', client.id);
      expect(await store.assignJob(job.id, cleaner.id, 'Cleaner assigned')).toBeNull();

      const next = await store.createJob({ clientId: client.id, title: 'Bathroom' });
      const assigned = await store.assignJob(next.id, cleaner.id, 'Cleaner assigned');
      const room = assigned ? (await store.getRoomViewFor(assigned.roomId, cleaner.id))?.room : null;
      expect(room?.name).toBe(`Job #${next.id} · Bathroom`);
      expect(assigned?.message).toMatchObject({ seq: 1, type: 'system', sender: null, content: 'Cleaner assigned' });
    });

    it('changes a job only from the status the change was checked against, with its system message', async () => {
      const { store, client, cleaner } = fixture;
      const job = await store.createJob({ clientId: client.id, title: 'Hallway' });
      const roomId = (await store.assignJob(job.id, cleaner.id, 'Cleaner assigned'))?.roomId;
      const started = await store.setJobStatus(job.id, 'assigned', 'in_progress', 'Started', client.id);
      expect(started?.job).toMatchObject({ status: 'in_progress', roomId });
      expect(started?.message).toMatchObject({ roomId, seq: 2, type: 'system', content: 'Started' });
      // Checked against `assigned` too, but the job moved on: nothing is written.
      expect(await store.setJobStatus(job.id, 'assigned', 'cancelled', 'Cancelled', client.id)).toBeNull();
      expect((await store.getJob(job.id))?.status).toBe('in_progress');
      expect((await store.history({ roomId: roomId ?? 0, limit: 10 })).messages.map((m) => m.content)).toEqual(['Cleaner assigned', 'Started']);
      // A job without a room changes without a message.
      const open = await store.createJob({ clientId: client.id, title: 'Attic' });
      expect(await store.setJobStatus(open.id, 'open', 'cancelled', 'Cancelled', client.id)).toMatchObject({ job: { status: 'cancelled', roomId: null }, message: null });
    });

    it('picks the support agent with the fewest support rooms, and opens one support room per user', async () => {
      const { store, client, otherClient, cleaner } = fixture;
      const greeting = (agent: User) => `${agent.displayName} will help`;
      expect(await store.pickSupportAgent()).toBeNull();
      expect(await store.openSupportRoom(client, greeting)).toBeNull();
      const busy = await makeUser(store, 'support');
      const free = await makeUser(store, 'support');
      const first = await store.createRoom({ type: 'support', name: `Support · ${client.displayName}`, jobId: null, participantIds: [client.id, busy.id], agentId: busy.id });
      expect((await store.pickSupportAgent())?.id).toBe(free.id);
      expect(await store.openSupportRoom(client, greeting)).toEqual({ roomId: first, greeting: null, agentId: busy.id });

      const opened = await store.openSupportRoom(otherClient, greeting);
      expect(opened?.greeting).toMatchObject({ roomId: opened?.roomId, seq: 1, type: 'system', sender: null, content: `${free.displayName} will help` });
      const room = (await store.getRoomViewFor(opened?.roomId ?? 0, otherClient.id))?.room;
      expect(room).toMatchObject({ type: 'support', name: `Support · ${otherClient.displayName}` });
      expect(room?.participants.map((p) => p.id).sort((x, y) => x - y)).toEqual([otherClient.id, free.id]);

      await store.createRoom({ type: 'support', name: `Support · ${cleaner.displayName}`, jobId: null, participantIds: [cleaner.id, free.id], agentId: free.id });
      expect((await store.pickSupportAgent())?.id).toBe(busy.id);
      // Opened many times at once: one room, every caller gets it.
      const racing = await Promise.all(Array.from({ length: 6 }, () => store.openSupportRoom(cleaner, greeting)));
      expect(new Set(racing.map((r) => r?.roomId)).size).toBe(1);
    });

    it('counts as an agent\'s load only the support rooms they are the agent of, not rooms they joined', async () => {
      const { store, client, otherClient, cleaner } = fixture;
      const greeting = (agent: User) => `${agent.displayName} will help`;
      const ann = await makeUser(store, 'support');
      const ben = await makeUser(store, 'support');
      // Ann handles one user, Ben two.
      await store.openSupportRoom(await makeUser(store, 'client'), greeting, ann);
      const bens = [await store.openSupportRoom(otherClient, greeting, ben), await store.openSupportRoom(cleaner, greeting, ben)];
      // Ann steps into both of Ben's rooms (he is away) and into a job's room (a dispute): she answers none of them.
      for (const opened of bens) expect((await store.joinRoom(opened?.roomId ?? 0, ann.id, 'Ann joined')).kind).toBe('joined');
      const { roomId: disputed } = await jobRoom(store);
      expect((await store.joinRoom(disputed, ann.id, 'Ann joined')).kind).toBe('joined');

      expect((await store.pickSupportAgent())?.id).toBe(ann.id);
      const opened = await store.openSupportRoom(client, greeting);
      const room = (await store.getRoomViewFor(opened?.roomId ?? 0, client.id))?.room;
      expect(room?.participants.map((p) => p.id).sort((x, y) => x - y)).toEqual([client.id, ann.id]);
    });

    it('lists the active rooms of completed or cancelled jobs once their grace period is over', async () => {
      const { store, client, cleaner } = fixture;
      const done = await store.createJob({ clientId: client.id, title: 'Done' });
      const running = await store.createJob({ clientId: client.id, title: 'Running' });
      const doneRoom = (await store.assignJob(done.id, cleaner.id, 'Cleaner assigned'))?.roomId;
      await store.assignJob(running.id, cleaner.id, 'Cleaner assigned');
      await store.setJobStatus(running.id, 'assigned', 'in_progress', 'Status changed to In progress', client.id);
      await store.setJobStatus(done.id, 'assigned', 'completed', 'Status changed to Completed', client.id);

      expect(await store.roomsToClose(new Date(Date.now() - 60_000))).toEqual([]);
      const due = new Date(Date.now() + 1000);
      expect(await store.roomsToClose(due)).toEqual([doneRoom]);
      if (doneRoom === undefined) throw new Error('no room');
      await store.setRoomActive(doneRoom, false);
      expect(await store.roomsToClose(due)).toEqual([]);
      expect((await store.getRoomAccess(doneRoom))?.isActive).toBe(false);
    });
  });
}
