// Keeps the search index (shared/domain/search/postings.ts) in step with the entities: from the
// record's own old and new images, the postings of the words the entity lost go, those it gained
// (or whose weight or archived flag changed) are written, and words the workspace has not seen get
// their typo entries. A delete's REMOVE carries the old image, so its postings go with it, as on a
// workspace's purge. Items are also found by the names of their category and labels: an item's
// change reads those names, and a category or label renamed or deleted re-files its items.
// Replaying a record writes the same items again: nothing changes.
import type { Projector } from '../../../shared/stream/projector.js';
import type { Change } from '../../../shared/stream/change.js';
import { searchTypeOf } from '../../../shared/domain/search/fields.js';
import { filedNames, filedUnder } from '../../../shared/domain/search/filed.js';
import { learnWords, postingChanges, writeAll } from '../../../shared/domain/search/postings.js';
import { listLinked } from '../../../shared/domain/catalog/repository.js';
import { itemDefinition } from '../../../shared/domain/items/model.js';
import { itemsWithLabel } from '../../../shared/domain/items/repository.js';
import * as keys from '../../../shared/db/keys.js';
import { batchGet } from '../../../shared/db/table.js';

type Record_ = Record<string, unknown>;

async function write(workspaceId: string, changes: ReturnType<typeof postingChanges>[]) {
  await writeAll(changes.flatMap((change) => change.requests));
  const added = changes.flatMap((change) => change.added);
  if (added.length) await learnWords(workspaceId, added);
}

/** The ids of the items filed under a category or wearing a label (archived ones too). */
async function itemsFiledUnder(workspaceId: string, type: 'category' | 'label', id: string): Promise<string[]> {
  if (type === 'label') return (await itemsWithLabel(workspaceId, id)).map((link) => link.itemId);
  const link = itemDefinition.links!.find((candidate) => candidate.field === 'category_id')!;
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listLinked(itemDefinition, link, workspaceId, id, { includeArchived: true, limit: 100, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

/** A category or label renamed (or gone): its items are found by the new name, not the old. */
async function refile(workspaceId: string, type: 'category' | 'label', id: string, oldName: string | undefined, newName: string | undefined) {
  const ids = await itemsFiledUnder(workspaceId, type, id);
  for (let start = 0; start < ids.length; start += 100) {
    const items = await batchGet<Record_>(ids.slice(start, start + 100).map((itemId) => keys.entity(workspaceId, 'ITEM', itemId)));
    const names = await filedNames(workspaceId, items);
    await write(workspaceId, items.map((item) => postingChanges(workspaceId, 'item', String(item.id), item, item, {
      before: filedUnder(item, names, { id, name: oldName }), after: filedUnder(item, names, { id, name: newName }),
    })));
  }
}

export const searchIndex: Projector = {
  name: 'searchIndex',
  wants: (change) => searchTypeOf(change.entity) !== undefined && (change.oldImage?.version !== change.newImage?.version
    || change.oldImage?.is_archived !== change.newImage?.is_archived),
  async project(change: Change) {
    const type = searchTypeOf(change.entity)!;
    const before = change.oldImage;
    const after = change.operation === 'REMOVE' ? undefined : change.newImage;
    const image = (after ?? before)!;
    const workspaceId = String(image.workspace_id);
    // an item: with the names it is filed under (as they are now)
    const names = type === 'item' ? await filedNames(workspaceId, [before, after]) : new Map<string, string>();
    await write(workspaceId, [postingChanges(workspaceId, type, String(image.id), before, after, { before: filedUnder(before, names), after: filedUnder(after, names) })]);
    if ((type === 'category' || type === 'label') && before && before.name !== after?.name) {
      await refile(workspaceId, type, String(image.id), before.name as string | undefined, after?.name as string | undefined);
    }
  },
};
