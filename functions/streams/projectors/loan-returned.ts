// When a loan is returned by someone other than the member who made it, that member gets one
// LOAN_RETURNED notification (they lent it; they want to know it is back). Its id is derived from
// the stream record, so a replayed batch writes nothing twice.
import type { NotificationRecord } from '../../../shared/domain/notifications/model.js';
import { notificationWrites } from '../../../shared/domain/notifications/repository.js';
import { getEntity } from '../../../shared/domain/catalog/repository.js';
import { derivedId } from '../../../shared/domain/ids.js';
import { cancellationReasons, transactWrite } from '../../../shared/db/table.js';
import type { Projector } from '../../../shared/stream/projector.js';

export const loanReturned: Projector = {
  name: 'loanReturned',
  wants: (change) => change.entity === 'LOAN' && change.operation === 'MODIFY' && change.oldImage?.is_archived !== true && change.newImage?.is_archived === true
    && change.newImage.updated_by !== change.newImage.created_by,
  async project(change) {
    const loan = change.newImage!;
    const workspaceId = loan.workspace_id as string;
    const [item, borrower] = await Promise.all([
      getEntity({ type: 'ITEM' }, workspaceId, loan.item_id as string), getEntity({ type: 'BORROWER' }, workspaceId, loan.borrower_id as string),
    ]);
    const what = `${Number(loan.quantity)} × ${item?.name ?? 'an item'}`;
    const at = String(loan.returned_at ?? loan.updated_at);
    const notification: NotificationRecord = {
      id: derivedId(at, `${change.eventId}#returned`), user_id: loan.created_by as string, workspace_id: workspaceId,
      notification_type: 'LOAN_RETURNED', title: `Returned: ${item?.name ?? 'a loan'}`,
      message: `${borrower?.name ?? 'The borrower'} returned ${what}.`,
      is_read: false, metadata: { loan_id: loan.id, inventory_id: loan.inventory_id, borrower_id: loan.borrower_id }, created_at: at,
    };
    try {
      await transactWrite(notificationWrites(notification));
    } catch (error) {
      if (cancellationReasons(error)?.[0] !== 'ConditionalCheckFailed') throw error; // already written (a replay)
    }
  },
};
