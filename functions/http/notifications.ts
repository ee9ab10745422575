// The signed-in user's notifications.
import * as contract from '../../shared/contract/notifications.js';
import { httpRoute, noContent } from '../../shared/http/route.js';
import * as notifications from '../../shared/domain/notifications/service.js';

export const listNotifications = /* @__PURE__ */ httpRoute(contract.listNotifications, ({ caller, query }) => notifications.list(caller.user.id, query.limit, query.cursor));

export const listUnreadNotifications = /* @__PURE__ */ httpRoute(contract.listUnreadNotifications, ({ caller, query }) => notifications.listUnread(caller.user.id, query.limit, query.cursor));

export const countUnreadNotifications = /* @__PURE__ */ httpRoute(contract.countUnreadNotifications, async ({ caller }) => ({ count: await notifications.unreadCount(caller.user.id) }));

export const getNotification = /* @__PURE__ */ httpRoute(contract.getNotification, ({ caller, params }) => notifications.get(caller.user.id, params.id));

export const markNotificationRead = /* @__PURE__ */ httpRoute(contract.markNotificationRead, async ({ caller, params }) => {
  await notifications.markRead(caller.user.id, params.id);
  return noContent();
});

export const markAllNotificationsRead = /* @__PURE__ */ httpRoute(contract.markAllNotificationsRead, async ({ caller }) => {
  await notifications.markAllRead(caller.user.id);
  return noContent();
});
