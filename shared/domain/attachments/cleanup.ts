// Uploads asked for and never finished: an attachment still PENDING a day after its form was made
// (the form expired after 15 minutes, so no file can come any more) is deleted, with its item's
// count and a tombstone, like any delete. Found through the sparse pending-uploads index (GSI3),
// one Query per day looked at: the cost follows the abandoned uploads, not the table.
import type { WorkspaceScope } from '../../http/caller.js';
import * as keys from '../../db/keys.js';
import { queryAll } from '../../db/table.js';
import { DomainError } from '../errors.js';
import * as catalog from '../catalog/operations.js';
import * as engine from '../catalog/repository.js';
import { attachmentDefinition } from './model.js';
import { attachments } from './service.js';

/** How long an upload may stay PENDING. */
export const pendingForAtMostMs = 24 * 60 * 60 * 1000;
/** How many days back the job looks (a job that did not run for a week still finds everything). */
const daysLookedAt = 8;

const anyVersion = { conditional: false, versionsFor: () => undefined };

/** Thrown inside the delete when the upload was verified meanwhile: it is no longer abandoned. */
class NotAbandoned extends Error {}

/** The abandoned uploads as of `now`: workspace and attachment ids, oldest first. */
export async function abandonedUploads(now: Date): Promise<{ workspaceId: string; attachmentId: string }[]> {
  const cutoff = new Date(now.getTime() - pendingForAtMostMs).toISOString();
  const found: { workspaceId: string; attachmentId: string }[] = [];
  for (let back = daysLookedAt - 1; back >= 0; back -= 1) {
    const day = new Date(Date.parse(cutoff) - back * 86_400_000).toISOString();
    const { GSI3PK: partition } = keys.pendingUploadIndex(day, '', '');
    const entries = await queryAll<{ GSI3SK: string }>({
      IndexName: 'GSI3', KeyConditionExpression: 'GSI3PK = :day AND GSI3SK < :cutoff',
      ExpressionAttributeValues: { ':day': partition, ':cutoff': cutoff }, ProjectionExpression: 'GSI3SK',
    });
    for (const entry of entries) {
      const [, workspaceId, attachmentId] = entry.GSI3SK.split('#');
      if (workspaceId && attachmentId) found.push({ workspaceId, attachmentId });
    }
  }
  return found;
}

/** Deletes one abandoned upload; false when it is not one any more (verified meanwhile, or gone). */
export async function removeAbandoned(workspaceId: string, attachmentId: string, now: Date): Promise<boolean> {
  const record = await engine.getEntity(attachmentDefinition, workspaceId, attachmentId, true);
  if (!record || record.status !== 'PENDING' || Date.parse(record.created_at) > now.getTime() - pendingForAtMostMs) return false;
  const scope = { workspace: { id: workspaceId } } as WorkspaceScope;
  try {
    await catalog.remove(attachments, scope, record.created_by, attachmentId, anyVersion, (current) => {
      // the delete reads it again: an upload verified in between is not abandoned
      if (current.status !== 'PENDING') throw new NotAbandoned();
      return {};
    });
    return true;
  } catch (error) {
    // verified meanwhile, gone, or changing under us past the retries: the next run looks again
    if (error instanceof NotAbandoned || (error instanceof DomainError && (error.code === 'RESOURCE_BUSY' || error.code === 'NOT_FOUND'))) return false;
    throw error;
  }
}
