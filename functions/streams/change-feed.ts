// The change feed: the table's stream, every record handed to the projectors
// (functions/streams/projectors/) that keep the change log, activity, search postings, stats,
// notifications and the mail outbox. Background jobs are not among them: they may run for minutes
// and would hold up every projection behind them, so they have a reader of their own
// (job-runner.ts).
import { projecting } from './projecting.js';
import { projectors } from './projectors/index.js';

export const handler = projecting(projectors);
