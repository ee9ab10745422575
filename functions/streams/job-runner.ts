// The job runner: a second reader of the table's stream, given only the records of new jobs (the
// event source mapping filters them: infra/stacks/jobs-stack.ts; the local runtime filters the
// same way), one at a time. It runs the job (projectors/jobs.ts) and settles it; the change feed
// goes on projecting meanwhile. A job must finish within this Lambda's 15 minutes.
import { projecting } from './projecting.js';
import { jobs } from './projectors/jobs.js';

export const handler = projecting([jobs]);
