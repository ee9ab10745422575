// Analytics: every change of a counted entity (items, inventory rows, locations, containers,
// categories, borrowers, loans) moves the difference between its images after and before into
// the workspace's aggregates (shared/domain/analytics/model.ts), once per stream record
// (repository.ts `applyOnce`). A change that moves nothing (a new description) writes nothing. A new
// workspace is registered for the weekly recount. A deleted workspace's aggregates are purged with
// it, so its records (the purge's own deletes among them) are not applied.
import { changedLabels, countedTypes, difference } from '../../../shared/domain/analytics/model.js';
import { applyOnce, register, workspaceIsActive } from '../../../shared/domain/analytics/repository.js';
import type { Projector } from '../../../shared/stream/projector.js';

const counted = new Set<string>(countedTypes);

export const analytics: Projector = {
  name: 'analytics',
  wants: (change) => (change.entity !== undefined && counted.has(change.entity)) || (change.entity === 'WORKSPACE' && change.operation === 'INSERT'),
  async project(change) {
    if (change.entity === 'WORKSPACE') {
      await register(String(change.newImage!.id));
      return;
    }
    const amounts = difference(change.oldImage, change.newImage);
    const labels = changedLabels(change.oldImage, change.newImage);
    if (amounts.size === 0 && labels.size === 0) return;
    const workspaceId = String((change.newImage ?? change.oldImage)!.workspace_id);
    if (!(await workspaceIsActive(workspaceId))) return;
    await applyOnce(workspaceId, change.eventId, amounts, labels);
  },
};
