// The activity log: who changed what in a workspace, projected by the change feed from the
// entities' images and tombstones (functions/streams/projectors/activity.ts). Kept 365 days.
import { createHash } from 'node:crypto';
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

/**
 * A UUIDv7 made from the change itself (its time and its stream event id), so projecting the same
 * stream record twice gives the same id, and ids still sort by time.
 */
export function activityId(occurredAt: string, eventId: string): string {
  const bytes = createHash('sha256').update(eventId).digest().subarray(0, 16);
  bytes.writeUIntBE(Date.parse(occurredAt), 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The oldest instant a reader still shows (DynamoDB Local never expires items, so readers check too). */
export const retainedSince = (now = new Date()) => new Date(now.getTime() - activityRetentionDays * 86_400_000).toISOString();
