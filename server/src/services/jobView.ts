/** What of a job each person is shown: the address and whose it is are for its client, the cleaner who takes it, and support. */
import type { Job, User } from '@ecc/protocol';

/**
 * A job as `user` is shown it. A cleaner browsing open jobs sees what the job is, not where the client
 * lives (any cleaner account could list every open job's address), nor whose it is: a client's id on
 * every open job let a cleaner who once worked for them (and knows their address) recognise their other
 * jobs, and tie a client's jobs together. The accepting cleaner gets both in the accept's answer and
 * the list from then on.
 */
export function asSeenBy(user: User, job: Job): Job {
  if (user.role !== 'cleaner' || job.cleanerId === user.id) return job;
  // The client's name with their id; a cleaner's name too, were one ever listed on a job not theirs.
  const { address, clientId: _notYours, clientName: _theirs, cleanerName: _other, ...rest } = job;
  return address ? { ...rest, addressOnAccept: true } : { ...rest, address };
}

/**
 * A job as every cleaner's open-jobs board shows it (`open_job`): while open, exactly as a cleaner's
 * `GET /api/jobs` lists it (`asSeenBy`: no address, no client); once it left the board, the same with
 * its new status, and without who took it and its room (the other cleaners' lists never show those).
 * Never anyone's name.
 */
export function boardView(job: Job): Job {
  const { address, clientId: _client, clientName: _name, cleanerName: _taker, cleanerId, roomId, roomActive: _room, ...rest } = job;
  const where = address ? { addressOnAccept: true as const } : { address };
  return job.status === 'open' ? { ...rest, ...where, cleanerId, roomId } : { ...rest, ...where };
}
