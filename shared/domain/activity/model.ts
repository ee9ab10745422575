// The activity log: who changed what in a workspace, projected by the change feed from the
// entities' images and tombstones (functions/streams/projectors/activity.ts). Kept 365 days.
import { derivedId } from '../ids.js';
import type { activityActions, activityEntityTypes } from '../../contract/activity.js';

export const activityRetentionDays = 365;

export interface ActivityRecord {
  id: string;
  workspace_id: string;
  user_id?: string;
  action: (typeof activityActions)[number];
  entity_type: (typeof activityEntityTypes)[number];
  entity_id: string;
  entity_name: string;
  changes?: Record<string, { old?: unknown; new?: unknown }>;
  occurred_at: string;
}

/** Made from the change itself (its time and its stream event id): a replayed record writes the same entry. */
export const activityId = (occurredAt: string, eventId: string): string => derivedId(occurredAt, eventId);

/** The oldest instant a reader still shows (DynamoDB Local never expires items, so readers check too). */
export const retainedSince = (now = new Date()) => new Date(now.getTime() - activityRetentionDays * 86_400_000).toISOString();
