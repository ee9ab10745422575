// Low stock: when an item's total (kept on it by every write of its inventory rows) drops below
// its minimum, every member who can act on it (owner, admin, member) gets one LOW_STOCK
// notification. Only the crossing notifies, not every write while it stays low; after it recovers,
// the next drop notifies again. The stream gives each write of the item with its image before and
// after, in order, so a crossing is seen exactly once; a replayed record makes the same ids
// (derived from it), and a notification already there is not written again.
import type { NotificationRecord } from '../../../shared/domain/notifications/model.js';
import { notificationWrites } from '../../../shared/domain/notifications/repository.js';
import { listMembers } from '../../../shared/domain/workspaces/repository.js';
import { atLeast } from '../../../shared/domain/workspaces/model.js';
import { derivedId } from '../../../shared/domain/ids.js';
import { isLow } from '../../../shared/domain/items/model.js';
import { cancellationReasons, transactWrite } from '../../../shared/db/table.js';
import type { Projector } from '../../../shared/stream/projector.js';

export const lowStock: Projector = {
  name: 'lowStock',
  // a new item is not a crossing: it was never above its minimum
  wants: (change) => change.entity === 'ITEM' && change.operation === 'MODIFY' && !isLow(change.oldImage) && isLow(change.newImage),
  async project(change) {
    const item = change.newImage!;
    const workspaceId = item.workspace_id as string;
    const name = String(item.name ?? '');
    const total = Math.max(0, Number(item.total_quantity ?? 0));
    const minimum = Number(item.min_stock_level);
    const at = change.approximateAt?.toISOString() ?? String(item.updated_at);
    for (const member of await listMembers(workspaceId)) {
      if (!atLeast(member.role, 'member')) continue;
      const notification: NotificationRecord = {
        id: derivedId(at, `${change.eventId}#${member.user_id}`), user_id: member.user_id, workspace_id: workspaceId,
        notification_type: 'LOW_STOCK', title: `Low stock: ${name}`,
        message: `${name} is down to ${total}, below its minimum of ${minimum}.`,
        is_read: false, metadata: { item_id: item.id, total_quantity: total, min_stock_level: minimum }, created_at: at,
      };
      try {
        await transactWrite(notificationWrites(notification));
      } catch (error) {
        if (cancellationReasons(error)?.[0] !== 'ConditionalCheckFailed') throw error; // already sent (a replay)
      }
    }
  },
};
