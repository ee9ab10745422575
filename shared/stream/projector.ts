// A projector turns one change of the table into what other readers need (the change log,
// tombstones, activity, search postings, counters, outgoing mail). The change feed runs every
// projector that wants a change, in the order of the list in functions/streams/projectors/.
// Every projector is idempotent: the stream delivers a record again after a failure, and a
// replayed record must change nothing (key its writes by the change's eventId, or guard them).
import type { Change } from './change.js';

export interface Projector {
  /** names it in logs and metrics */
  name: string;
  /** cheap and pure: whether this change concerns the projector */
  wants(change: Change): boolean;
  /** projects the change; throws to have the record (and the ones after it) delivered again */
  project(change: Change): Promise<void>;
}
