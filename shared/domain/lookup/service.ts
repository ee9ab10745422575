// A short code names one scannable thing of a workspace: its guard item says which.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { WorkspaceScope } from '../../http/caller.js';
import { documents } from '../../aws/dynamodb.js';
import * as keys from '../../db/keys.js';
import { tableName } from '../../db/table.js';
import { shortCodeKind } from '../catalog/model.js';
import { defineError } from '../errors.js';

const ShortCodeNotFound = /* @__PURE__ */ defineError('SHORT_CODE_NOT_FOUND', 'Nothing in this workspace has that short code.');

export async function lookup(scope: WorkspaceScope, shortCode: string): Promise<{ entity_type: 'ITEM' | 'LOCATION' | 'CONTAINER'; id: string }> {
  const guard = await documents.send(new GetCommand({ TableName: tableName, Key: keys.uniqueGuard(scope.workspace.id, shortCodeKind, shortCode.toUpperCase()) }));
  if (!guard.Item) throw ShortCodeNotFound();
  return { entity_type: guard.Item.entity_type as 'ITEM' | 'LOCATION' | 'CONTAINER', id: guard.Item.entity_id as string };
}
