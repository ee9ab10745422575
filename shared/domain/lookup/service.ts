// A short code names one scannable thing of a workspace: its guard item says which.
import type { WorkspaceScope } from '../../http/caller.js';
import * as keys from '../../db/keys.js';
import { readItem } from '../../db/table.js';
import { shortCodeKind } from '../catalog/model.js';
import { defineError } from '../errors.js';

const ShortCodeNotFound = /* @__PURE__ */ defineError('SHORT_CODE_NOT_FOUND', 'Nothing in this workspace has that short code.');

export async function lookup(scope: WorkspaceScope, shortCode: string): Promise<{ entity_type: 'ITEM' | 'LOCATION' | 'CONTAINER'; id: string }> {
  const guard = await readItem(keys.uniqueGuard(scope.workspace.id, shortCodeKind, shortCode.toUpperCase()));
  if (!guard) throw ShortCodeNotFound();
  return { entity_type: guard.entity_type as 'ITEM' | 'LOCATION' | 'CONTAINER', id: guard.entity_id as string };
}
