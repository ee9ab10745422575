// The signed-in user's notifications.
import { notifications as contract } from '../../shared/contract/index.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as notifications from '../../shared/domain/notifications/service.js';

export const listNotifications = httpRoute(contract.listNotifications, ({ caller, query }) => notifications.list(caller.user.id, query.limit, query.cursor));

export const listUnreadNotifications = httpRoute(contract.listUnreadNotifications, ({ caller, query }) => notifications.listUnread(caller.user.id, query.limit, query.cursor));

export const countUnreadNotifications = httpRoute(contract.countUnreadNotifications, async ({ caller }) => ({ count: await notifications.unreadCount(caller.user.id) }));

export const getNotification = httpRoute(contract.getNotification, ({ caller, params }) => notifications.get(caller.user.id, params.id));

export const markNotificationRead = httpRoute(contract.markNotificationRead, async ({ caller, params }) => {
  await notifications.markRead(caller.user.id, params.id);
  return noContent();
});

export const markAllNotificationsRead = httpRoute(contract.markAllNotificationsRead, async ({ caller }) => {
  await notifications.markAllRead(caller.user.id);
  return noContent();
});
