// The signed-in user's notifications: lists (newest first, paged), the O(1) unread count,
// marking read (idempotent, the count never goes below zero) and read-all.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addMember, allPages, call, createWorkspace, expectProblem, expectStatus, signUp, type SignedInUser } from './support/api.js';
import { getItem } from './support/table.js';
import type * as z from 'zod/mini';
import type { Notification } from '../../shared/contract/notifications.js';

/** What the API answers for a notification: the contract's own shape. */
type NotificationShape = z.output<typeof Notification>;

/** A user who was added to `count` workspaces, one after another: `count` MEMBER_JOINED notifications. */
async function notifiedUser(count: number): Promise<{ user: SignedInUser; workspaceIds: string[] }> {
  const owner = await signUp();
  const user = await signUp();
  const workspaceIds: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const workspace = await createWorkspace(owner.token, { name: `Joined ${i}` });
    await addMember(owner.token, workspace.id, user.id, 'member');
    workspaceIds.push(workspace.id);
  }
  return { user, workspaceIds };
}

const unreadCount = async (token: string) => expectStatus(await call<{ count: number }>('GET', '/notifications/unread/count', { token }), 200).json.count;
const list = async (path: string, token: string) => expectStatus(await call<{ items: NotificationShape[]; next_cursor?: string }>('GET', path, { token }), 200).json;

describe('notifications', () => {
  it('a new user has none', async () => {
    const user = await signUp();
    expect(await list('/notifications', user.token)).toEqual({ items: [] });
    expect(await list('/notifications/unread', user.token)).toEqual({ items: [] });
    expect(await unreadCount(user.token)).toBe(0);
  });

  it('MEMBER_JOINED shows in the list, the unread list and the count, and reads back by id', async () => {
    const { user, workspaceIds: [workspaceId] } = await notifiedUser(1);
    const all = await list('/notifications', user.token);
    expect(all.items).toHaveLength(1);
    const [notification] = all.items;
    expect(notification).toMatchObject({ user_id: user.id, workspace_id: workspaceId, notification_type: 'MEMBER_JOINED', is_read: false });
    expect(notification).not.toHaveProperty('read_at');
    expect((await list('/notifications/unread', user.token)).items.map((item) => item.id)).toEqual([notification!.id]);
    expect(await unreadCount(user.token)).toBe(1);
    const one = expectStatus(await call<NotificationShape>('GET', `/notifications/${notification!.id}`, { token: user.token }), 200);
    expect(one.json).toEqual(notification);
  });

  it('marking read is idempotent: 204 each time, the count goes to 0 and stays there', async () => {
    const { user } = await notifiedUser(1);
    const [notification] = (await list('/notifications', user.token)).items;
    expectStatus(await call('POST', `/notifications/${notification!.id}/read`, { token: user.token }), 204);
    expect(await unreadCount(user.token)).toBe(0);
    expectStatus(await call('POST', `/notifications/${notification!.id}/read`, { token: user.token }), 204);
    expect(await unreadCount(user.token)).toBe(0);
    expect((await getItem({ PK: `USER#${user.id}`, SK: 'NOTIF#COUNT' }))?.unread).toBe(0);

    const read = expectStatus(await call<NotificationShape>('GET', `/notifications/${notification!.id}`, { token: user.token }), 200).json;
    expect(read.is_read).toBe(true);
    expect(Date.parse(read.read_at!)).not.toBeNaN();
    expect((await list('/notifications/unread', user.token)).items).toEqual([]);
    expect((await list('/notifications', user.token)).items.map((item) => item.id)).toEqual([notification!.id]);
    expectStatus(await call('POST', '/notifications/read-all', { token: user.token }), 204);
    expect(await unreadCount(user.token)).toBe(0);
  });

  it('the same notification marked read by several requests at once counts down once', async () => {
    const { user } = await notifiedUser(2);
    const [newest, older] = (await list('/notifications', user.token)).items;
    const answers = await Promise.all(Array.from({ length: 5 }, () => call('POST', `/notifications/${newest!.id}/read`, { token: user.token })));
    expect(answers.map((answer) => `${answer.status} ${answer.text}`)).toEqual(Array(5).fill('204 '));
    expect(await unreadCount(user.token)).toBe(1);
    // the stored counter itself is exact (the API would hide a negative drift behind max(0, …))
    expect((await getItem({ PK: `USER#${user.id}`, SK: 'NOTIF#COUNT' }))?.unread).toBe(1);
    expect((await list('/notifications/unread', user.token)).items.map((item) => item.id)).toEqual([older!.id]);
  });

  it('read-all marks every unread notification read', async () => {
    const { user } = await notifiedUser(3);
    expect(await unreadCount(user.token)).toBe(3);
    const [newest] = (await list('/notifications', user.token)).items;
    expectStatus(await call('POST', `/notifications/${newest!.id}/read`, { token: user.token }), 204);
    expect(await unreadCount(user.token)).toBe(2);

    expectStatus(await call('POST', '/notifications/read-all', { token: user.token }), 204);
    expect(await unreadCount(user.token)).toBe(0);
    expect((await list('/notifications/unread', user.token)).items).toEqual([]);
    const all = (await list('/notifications', user.token)).items;
    expect(all).toHaveLength(3);
    expect(all.every((item) => item.is_read && item.read_at)).toBe(true);
    // again: nothing to do, nothing goes negative
    expectStatus(await call('POST', '/notifications/read-all', { token: user.token }), 204);
    expect(await unreadCount(user.token)).toBe(0);
    expect((await getItem({ PK: `USER#${user.id}`, SK: 'NOTIF#COUNT' }))?.unread).toBe(0);
  });

  it('lists newest first and pages with limit, for all and for unread', async () => {
    const { user, workspaceIds } = await notifiedUser(3);
    const newestFirst = [...workspaceIds].reverse();
    for (const path of ['/notifications', '/notifications/unread']) {
      const first = expectStatus(await call<{ items: NotificationShape[]; next_cursor?: string }>('GET', path, { token: user.token, query: { limit: 2 } }), 200).json;
      expect(first.items).toHaveLength(2);
      expect(first.next_cursor).toBeTruthy();
      const { items, pages } = await allPages<NotificationShape>(path, user.token, 2);
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(items.map((item) => item.workspace_id)).toEqual(newestFirst);
      expect(new Set(items.map((item) => item.id)).size).toBe(3);
      const byOne = await allPages<NotificationShape>(path, user.token, 1);
      expect(byOne.items.map((item) => item.workspace_id)).toEqual(newestFirst);
    }
    expectProblem(await call('GET', '/notifications', { token: user.token, query: { limit: 0 } }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('GET', '/notifications', { token: user.token, query: { cursor: 'not-a-cursor' } }), 422, 'INVALID_CURSOR');
  });

  it("another user's notification is 404 for reading and marking, and stays unread", async () => {
    const { user } = await notifiedUser(2);
    const stranger = await signUp();
    const [notification] = (await list('/notifications', user.token)).items;
    expectProblem(await call('GET', `/notifications/${notification!.id}`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectProblem(await call('POST', `/notifications/${notification!.id}/read`, { token: stranger.token }), 404, 'NOT_FOUND');
    expectProblem(await call('GET', `/notifications/${randomUUID()}`, { token: user.token }), 404, 'NOT_FOUND');
    expectProblem(await call('POST', `/notifications/${randomUUID()}/read`, { token: user.token }), 404, 'NOT_FOUND');
    expect(await unreadCount(user.token)).toBe(2);
    expect(await unreadCount(stranger.token)).toBe(0);
    // a cursor of this user's list cannot be pointed at from another user's
    const page = expectStatus(await call<{ next_cursor?: string }>('GET', '/notifications', { token: user.token, query: { limit: 1 } }), 200).json;
    expect(page.next_cursor).toBeTruthy();
    expectProblem(await call('GET', '/notifications', { token: stranger.token, query: { limit: 1, cursor: page.next_cursor } }), 422, 'INVALID_CURSOR');
  });
});
