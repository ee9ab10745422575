// What a run of a job answers the job runner (functions/streams/projectors/jobs.ts): a file it
// made (the runner stores it), a finish without a file of its own (an import's report, a restored
// workspace, a backup already in storage), or where it stopped, for the next step to go on from.
// A job that cannot be done throws JobFailed with a code a person can act on.
import type { MadeFile } from '../print/label-job.js';
import type { JobOutcome } from './repository.js';

export interface StepContext {
  /** epoch ms: a step stops starting new work past it (and continues in the next step) */
  deadline: number;
  progress: (processed: number, total: number) => Promise<void>;
}

export type StepResult =
  | { kind: 'file'; made: MadeFile }
  | { kind: 'done'; outcome: Extract<JobOutcome, { status: 'DONE' }> }
  | { kind: 'continue'; state: Record<string, unknown>; processed: number; total: number };

/** A job that cannot be done, with the code its FAILED status shows (`IMPORT_UNREADABLE`, `BACKUP_INVALID`). */
export class JobFailed extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
