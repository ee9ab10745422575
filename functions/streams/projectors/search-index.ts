// Keeps the search index (shared/domain/search/postings.ts) in step with the entities: from the
// record's own old and new images, the postings of the words the entity lost go, those it gained
// (or whose weight or archived flag changed) are written, and words the workspace has not seen get
// their typo entries. A delete's REMOVE carries the old image, so its postings go with it, as on a
// workspace's purge. Replaying a record writes the same items again: nothing changes.
import type { Projector } from '../../../shared/stream/projector.js';
import { searchTypeOf } from '../../../shared/domain/search/fields.js';
import { learnWords, postingChanges, writeAll } from '../../../shared/domain/search/postings.js';

export const searchIndex: Projector = {
  name: 'searchIndex',
  wants: (change) => searchTypeOf(change.entity) !== undefined && (change.oldImage?.version !== change.newImage?.version
    || change.oldImage?.is_archived !== change.newImage?.is_archived),
  async project(change) {
    const type = searchTypeOf(change.entity)!;
    const image = change.newImage ?? change.oldImage!;
    const workspaceId = String(image.workspace_id);
    const { requests, added } = postingChanges(workspaceId, type, String(image.id), change.oldImage, change.operation === 'REMOVE' ? undefined : change.newImage);
    await writeAll(requests);
    if (added.length) await learnWords(workspaceId, added);
  },
};
