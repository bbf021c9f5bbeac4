/**
 * Support staff stepping into a conversation they are not in (POST /api/rooms/{id}/join): a job's room,
 * to settle a dispute between client and cleaner ("Join job chat" on its card), or a support room
 * another agent handles ("Join conversation" beside "Message client"'s refusal, MessagePeople.tsx).
 * Everyone in the room is told ("<Name> from support joined the conversation").
 */
import { useState } from 'react';
import type { ApiClient } from '@ecc/client';
import type { Job } from '@ecc/protocol';
import { useChat } from '../chat/ChatContext.tsx';
import { describeError, unreachable } from '../chat/describeError.ts';
import { showRoom } from '../components/showRoom.ts';
import { aboutJob } from './JobCard.tsx';

/** Joins room `roomId` and opens it in the floating chat panel, its message box focused; rejects as the API does. */
export function useJoinRoom(api: ApiClient): (roomId: number) => Promise<void> {
  const chat = useChat();
  return async (roomId) => {
    const room = await api.joinRoom(roomId);
    showRoom(chat, room);
  };
}

/**
 * A job with a room support staff may step into: one that takes messages — while the job runs, and after it
 * finished until its close grace ends (the server's `roomActive`), when the parties can still write and a
 * dispute is most likely. From a server that does not say, a finished job's room is taken as closed.
 */
export function joinable(job: Job): job is Job & { roomId: number } {
  const running = job.status === 'assigned' || job.status === 'in_progress';
  return typeof job.roomId === 'number' && (job.roomActive ?? running);
}

/** "Join job chat" on support staff's card of a job whose room takes messages and they are not in. */
export function JoinJobChat({ job, api, onFailed }: { job: Job & { roomId: number }; api: ApiClient; onFailed: (text: string, unreachable: boolean) => void }) {
  const join = useJoinRoom(api);
  const [busy, setBusy] = useState(false);
  const click = async () => {
    setBusy(true);
    try {
      await join(job.roomId);
    } catch (err) {
      onFailed(`Could not join the chat of job #${job.id}: ${describeError(err)}`, unreachable(err));
    } finally {
      setBusy(false);
    }
  };
  // Named by its words (WCAG 2.5.3), the job it is for as its description, as every card button.
  return (
    <button type="button" className="secondary" disabled={busy} aria-describedby={aboutJob(job)} onClick={() => void click()}>
      Join job chat
    </button>
  );
}
