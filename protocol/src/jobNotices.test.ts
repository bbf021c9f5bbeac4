import { describe, expect, it } from 'vitest';
import { JOB_STATUS_LABELS, jobAcceptedNotice, jobNoticeText, jobStatusNotice, parseJobNotice } from './jobNotices.ts';
import type { JobStatus } from './shapes.ts';

describe('a job move’s notice read back from its words', () => {
  it('gives the mover and the status of every notice the server writes, and the same words again', () => {
    for (const status of Object.keys(JOB_STATUS_LABELS) as JobStatus[]) {
      const text = jobStatusNotice(status, 'Alice Client');
      const notice = parseJobNotice(text);
      expect(notice).toEqual({ kind: 'status', label: JOB_STATUS_LABELS[status], mover: 'Alice Client' });
      expect(notice && jobNoticeText(notice)).toBe(text);
    }
    expect(parseJobNotice(jobAcceptedNotice('Bob Cleaner'))).toEqual({ kind: 'accepted', mover: 'Bob Cleaner' });
  });

  it('takes the whole name, never a shorter one it begins with, even one holding " by "', () => {
    expect(parseJobNotice('Status changed to In progress by Alice Clientele')?.mover).toBe('Alice Clientele');
    expect(parseJobNotice('Status changed to Completed by Rob by the Sea')?.mover).toBe('Rob by the Sea');
    expect(parseJobNotice('Alice Clientele accepted the job')?.mover).toBe('Alice Clientele');
  });

  it('reads a status a newer server added by its words', () => {
    expect(parseJobNotice('Status changed to On hold by Alice Client')).toEqual({ kind: 'status', label: 'On hold', mover: 'Alice Client' });
  });

  it('is null for other words', () => {
    for (const text of ['Sam Support will help you here', 'Status changed to Completed', 'Status changed to  by Alice', ' accepted the job', 'accepted the job']) {
      expect(parseJobNotice(text)).toBeNull();
    }
  });
});
