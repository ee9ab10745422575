// The signed-in user's notifications (not workspace-scoped).
import * as z from 'zod/mini';
import { document, route } from './route.js';
import { example, IdOut, IntOut, named, pageOf, PageQuery, TimestampOut, Uuid } from './common.js';

export const notificationTypes = ['LOAN_DUE_SOON', 'LOAN_OVERDUE', 'LOAN_RETURNED', 'LOW_STOCK', 'WORKSPACE_INVITE', 'MEMBER_JOINED', 'SYSTEM', 'RETURN_CLAIMED', 'EXTENSION_REQUESTED', 'MAIL_UNDELIVERABLE'] as const;

const notificationExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-dddddddddddd', user_id: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b',
  workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', notification_type: 'MEMBER_JOINED' as const,
  title: 'You joined Home', message: 'Grace added you to Home as member.', is_read: false,
  metadata: { role: 'member', invited_by: '0193a5e2-7c1a-7b3e-9f00-cccccccccccc' }, created_at: '2026-11-26T09:00:00.000Z',
};

export const Notification = /* @__PURE__ */ named('Notification', z.object({
  id: IdOut,
  user_id: IdOut,
  workspace_id: z.optional(IdOut),
  notification_type: z.enum(notificationTypes),
  title: z.string(),
  message: z.string(),
  is_read: z.boolean(),
  read_at: z.optional(TimestampOut),
  metadata: z.optional(z.record(z.string(), z.unknown())),
  created_at: TimestampOut,
}), 'Something that happened that concerns me.');
DOCS: example(Notification, notificationExample);

const NotificationParams = /* @__PURE__ */ z.object({ id: Uuid });

export const listNotifications = /* @__PURE__ */ route({
  id: 'listNotifications', method: 'GET', path: '/notifications', domain: 'notifications', access: 'user',
  summary: 'My notifications, newest first', query: PageQuery, response: pageOf(Notification), status: 200,
});
DOCS: document(listNotifications, { response: { items: [notificationExample] } });

export const listUnreadNotifications = /* @__PURE__ */ route({
  id: 'listUnreadNotifications', method: 'GET', path: '/notifications/unread', domain: 'notifications', access: 'user',
  summary: 'My unread notifications, newest first', query: PageQuery, response: pageOf(Notification), status: 200,
});

export const countUnreadNotifications = /* @__PURE__ */ route({
  id: 'countUnreadNotifications', method: 'GET', path: '/notifications/unread/count', domain: 'notifications', access: 'user',
  summary: 'How many notifications I have not read', response: z.object({ count: IntOut }), status: 200,
});
DOCS: document(countUnreadNotifications, { response: { count: 3 } });

export const getNotification = /* @__PURE__ */ route({
  id: 'getNotification', method: 'GET', path: '/notifications/{id}', domain: 'notifications', access: 'user',
  summary: 'One of my notifications', params: NotificationParams, response: Notification, status: 200, errors: ['NOT_FOUND'],
});

export const markNotificationRead = /* @__PURE__ */ route({
  id: 'markNotificationRead', method: 'POST', path: '/notifications/{id}/read', domain: 'notifications', access: 'user',
  summary: 'Mark one notification read (idempotent)', params: NotificationParams, status: 204, errors: ['NOT_FOUND'],
});

export const markAllNotificationsRead = /* @__PURE__ */ route({
  id: 'markAllNotificationsRead', method: 'POST', path: '/notifications/read-all', domain: 'notifications', access: 'user',
  summary: 'Mark every notification read', status: 204,
});
