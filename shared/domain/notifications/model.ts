// The stored notification.
import type { notificationTypes } from '../../contract/notifications.js';

export type NotificationType = (typeof notificationTypes)[number];

export interface NotificationRecord {
  id: string;
  user_id: string;
  workspace_id?: string;
  notification_type: NotificationType;
  title: string;
  message: string;
  is_read: boolean;
  read_at?: string;
  metadata?: Record<string, unknown>;
  created_at: string;
}
