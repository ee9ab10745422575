// Analytics: every change of a counted entity (items, inventory rows, locations, containers,
// categories, borrowers, loans) moves the difference between its images after and before into
// the workspace's aggregates (shared/domain/analytics/model.ts), once per stream record
// (repository.ts `applyOnce`). A change that moves nothing (a new description) writes nothing. A new
// workspace is registered for the weekly recount. A deleted workspace's aggregates are purged with
// it, so the purge's own deletes are not applied.
import { changedLabels, countedTypes, difference } from '../../../shared/domain/analytics/model.js';
import { applyOnce, register, workspaceIsActive } from '../../../shared/domain/analytics/repository.js';
import type { Projector } from '../../../shared/stream/projector.js';

const counted = new Set<string>(countedTypes);

/**
 * Whether a workspace whose entity was removed is still active: a purge removes everything, and
 * its removals must not bring the aggregates it purges back. Asked only for removals (creates and
 * changes are refused or rare once a workspace is being deleted), and an active answer is trusted
 * for 30 s (the purge job runs minutes after a deletion), so a hard delete costs one read at most.
 */
const activeSeen = new Map<string, number>();
async function stillActive(workspaceId: string, now = Date.now()): Promise<boolean> {
  if ((activeSeen.get(workspaceId) ?? 0) > now - 30_000) return true;
  const active = await workspaceIsActive(workspaceId);
  if (active) activeSeen.set(workspaceId, now);
  else activeSeen.delete(workspaceId);
  if (activeSeen.size > 1000) activeSeen.delete(activeSeen.keys().next().value!);
  return active;
}

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
    if (change.operation === 'REMOVE' && !(await stillActive(workspaceId))) return;
    await applyOnce(workspaceId, change.eventId, amounts, labels);
  },
};
