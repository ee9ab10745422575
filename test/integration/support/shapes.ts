// Answer shapes several test files read, as the API sends them (the contract's schemas in
// shared/contract/ are the source; these are the tests' own view, so a drift shows as a failure; a
// movement is answered as stored, so its record type serves).

/** A page of a list: its items and, when more follow, the cursor of the next page. */
export interface Page<T> {
  items: T[];
  next_cursor?: string;
}

/** An entry of the activity log (`/activity…`). */
export interface Activity {
  id: string;
  workspace_id: string;
  user_id?: string;
  action: string;
  entity_type: string;
  entity_id: string;
  entity_name: string;
  changes?: Record<string, { old?: unknown; new?: unknown }>;
  occurred_at: string;
}

/** A notification of a user (`/notifications…`). */
export interface Notification {
  id: string;
  user_id: string;
  workspace_id?: string;
  notification_type: string;
  title: string;
  message: string;
  is_read: boolean;
  metadata?: Record<string, unknown>;
  created_at: string;
}

/** A movement of an inventory row (`/movements…`): answered as stored, never changed afterwards. */
export type { MovementRecord as Movement } from '../../../shared/domain/movements/model.js';
