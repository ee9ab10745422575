// The change log (../shared/design/SYNC.md): one entry per change of a syncable entity, ordered by
// the time the log learned of it, which delta sync reads instead of the entity partitions.
import { syncSettings } from '../../config.js';

export type ChangeOperation = 'upsert' | 'delete';

export interface ChangeLogEntry {
  workspace_id: string;
  entity_type: string;
  entity_id: string;
  operation: ChangeOperation;
  /** the entity as its API answer shows it (upserts), or the tombstone (deletes) */
  data: Record<string, unknown>;
  version?: number;
  /** when the log learned of the change: the order readers follow */
  logged_at: string;
  /** the stream record it was projected from */
  event_id: string;
}

/** δ of SYNC.md: a reader never returns entries younger than this; every entry is visible within it. */
export const settleMs = () => syncSettings().settleMs;

/** How long entries are kept (readers ignore older ones: DynamoDB Local never expires items). */
export const retentionDays = () => syncSettings().retentionDays;

/** A replayed stream record is recognised this long (streams keep records 24 hours). */
export const eventMemoryDays = 2;
