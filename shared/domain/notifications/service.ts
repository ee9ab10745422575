// The signed-in user's notifications.
import { NotFound } from '../errors.js';
import type { NotificationRecord } from './model.js';
import * as repository from './repository.js';

export const list = repository.listNotifications;
export const listUnread = repository.listUnread;
export const unreadCount = repository.unreadCount;

export async function get(userId: string, notificationId: string): Promise<NotificationRecord> {
  return (await repository.getNotification(userId, notificationId)) ?? Promise.reject(NotFound('No notification with that id.'));
}

export async function markRead(userId: string, notificationId: string): Promise<void> {
  if (!(await repository.markRead(userId, notificationId, new Date().toISOString()))) throw NotFound('No notification with that id.');
}

export async function markAllRead(userId: string): Promise<void> {
  await repository.markAllRead(userId, new Date().toISOString());
}
