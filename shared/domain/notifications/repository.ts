// Notifications live in their user's partition, newest last (UUIDv7 sort keys). Unread ones are
// also in a sparse index, and a counter item per user makes "how many unread" one GetItem.
// The counter moves in the same transaction as the notification it counts.
import * as keys from '../../db/keys.js';
import { cancellationReasons, getRecord, putIfAbsent, queryAll, queryPage, readItem, tableName, transactWrite, type Page, type TransactItem } from '../../db/table.js';
import type { NotificationRecord } from './model.js';

/** The two writes that create an unread notification; callers add them to their own transaction. */
export function notificationWrites(notification: NotificationRecord): TransactItem[] {
  return [
    putIfAbsent({ ...keys.notification(notification.user_id, notification.id), ...keys.unreadIndex(notification.user_id, notification.id), entity: 'NOTIFICATION', ...notification }),
    counterChange(notification.user_id, 1),
  ];
}

function counterChange(userId: string, delta: number): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.notificationCounter(userId),
      UpdateExpression: 'ADD unread :delta SET entity = :entity',
      ExpressionAttributeValues: { ':delta': delta, ':entity': 'NOTIFICATION_COUNTER' },
    },
  };
}

/** Marks one unread notification read and takes it out of the unread index; fails if it is not unread. */
function markedRead(userId: string, notificationId: string, readAt: string): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: keys.notification(userId, notificationId),
      UpdateExpression: 'SET is_read = :true, read_at = :read_at REMOVE GSI2PK, GSI2SK',
      ConditionExpression: 'attribute_exists(PK) AND is_read = :false',
      ExpressionAttributeValues: { ':true': true, ':false': false, ':read_at': readAt },
    },
  };
}

export async function getNotification(userId: string, notificationId: string): Promise<NotificationRecord | undefined> {
  return getRecord<NotificationRecord>(keys.notification(userId, notificationId));
}

export function listNotifications(userId: string, limit: number, cursor?: string): Promise<Page<NotificationRecord>> {
  return queryPage<NotificationRecord>({
    // UUIDv7 ids start with '0' until the year 2527; the counter item (`NOTIF#COUNT`) does not.
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':prefix': 'NOTIF#0' },
    ScanIndexForward: false,
  }, { limit, cursor, list: { list: 'notifications', partition: `USER#${userId}`, sortPrefix: 'NOTIF#0' } });
}

export function listUnread(userId: string, limit: number, cursor?: string): Promise<Page<NotificationRecord>> {
  const partition = `USER#${userId}#UNREAD`;
  return queryPage<NotificationRecord>({
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': partition },
    ScanIndexForward: false,
  }, {
    limit, cursor,
    list: {
      list: 'notifications.unread', index: 'GSI2', partition, sortPrefix: 'NOTIF#',
      // an unread notification is indexed under its own sort key, in its user's partition
      tableKeyFits: (position) => position.PK === `USER#${userId}` && position.SK === position.GSI2SK,
    },
  });
}

export async function unreadCount(userId: string): Promise<number> {
  const counter = await readItem(keys.notificationCounter(userId));
  return Math.max(0, Number(counter?.unread ?? 0));
}

/**
 * Marks one notification read and decrements the counter, atomically. Marking an already read
 * notification changes nothing (the condition fails and is ignored), so retries are harmless.
 * Answers false when the notification does not exist.
 */
export async function markRead(userId: string, notificationId: string, readAt: string): Promise<boolean> {
  try {
    await transactWrite([
      markedRead(userId, notificationId, readAt),
      counterChange(userId, -1),
    ]);
    return true;
  } catch (error) {
    if (cancellationReasons(error)?.[0] === 'ConditionalCheckFailed') {
      return (await getNotification(userId, notificationId)) !== undefined;
    }
    throw error;
  }
}

/** Marks every unread notification read, in transactions of up to 99 notifications plus the counter. */
export async function markAllRead(userId: string, readAt: string): Promise<number> {
  const unread = await queryAll<{ id: string }>({
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :pk',
    ExpressionAttributeValues: { ':pk': `USER#${userId}#UNREAD` },
    ProjectionExpression: 'id',
  });
  let marked = 0;
  for (let start = 0; start < unread.length; start += 99) {
    const batch = unread.slice(start, start + 99);
    try {
      await transactWrite([
        ...batch.map((notification) => markedRead(userId, notification.id, readAt)),
        counterChange(userId, -batch.length),
      ]);
      marked += batch.length;
    } catch (error) {
      // Someone marked one of these meanwhile: fall back to one at a time, each idempotent.
      if (!cancellationReasons(error)) throw error;
      for (const notification of batch) if (await markRead(userId, notification.id, readAt)) marked += 1;
    }
  }
  return marked;
}
