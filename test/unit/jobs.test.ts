// A job nobody runs any more is told as FAILED (shared/domain/jobs/service.ts), so a person
// polling it is not left waiting for a job the change feed gave up on.
import { describe, expect, it } from 'vitest';
import { claimLeaseSeconds, type JobRecord } from '../../shared/domain/jobs/model.js';
import { stalled } from '../../shared/domain/jobs/service.js';

const created = '2026-12-03T09:00:00.000Z';
const job = (fields: Partial<JobRecord>): JobRecord => ({
  PK: 'WS#w#JOBS', SK: 'j', entity: 'JOB', id: 'j', workspace_id: 'w', kind: 'LABEL_SHEETS', status: 'QUEUED', request: {},
  processed: 0, total: 1, created_at: created, created_by: 'u', expires_at: '2026-12-10T09:00:00.000Z', ttl: 0, ...fields,
});
const after = (seconds: number) => Date.parse(created) + seconds * 1000;

describe('a stalled job', () => {
  it('is a QUEUED job not taken within the lease, or a RUNNING one whose claim is older', () => {
    expect(stalled(job({}), after(claimLeaseSeconds - 1))).toBe(false);
    expect(stalled(job({}), after(claimLeaseSeconds + 1))).toBe(true);
    const claimed = new Date(after(600)).toISOString();
    expect(stalled(job({ status: 'RUNNING', claimed_at: claimed }), after(600 + claimLeaseSeconds - 1))).toBe(false);
    expect(stalled(job({ status: 'RUNNING', claimed_at: claimed }), after(600 + claimLeaseSeconds + 1))).toBe(true);
  });

  it('is never a settled one, however old', () => {
    expect(stalled(job({ status: 'DONE' }), after(86_400))).toBe(false);
    expect(stalled(job({ status: 'FAILED' }), after(86_400))).toBe(false);
  });
});
