// Movements: read-only lists (the move writes them: shared/domain/inventory/service.ts).
import * as catalog from '../catalog/operations.js';
import type { WorkspaceScope } from '../../http/caller.js';
import { inventory } from '../inventory/service.js';
import { locations } from '../locations/service.js';
import * as repository from './repository.js';

interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

export const list = (scope: WorkspaceScope, query: PageQuery) => repository.listMovements(scope.workspace.id, query.limit, query.cursor);

export async function listOfInventory(scope: WorkspaceScope, inventoryId: string, query: PageQuery) {
  await catalog.get(inventory, scope, inventoryId);
  return repository.listMovementsOfInventory(scope.workspace.id, inventoryId, query.limit, query.cursor);
}

export async function listOfLocation(scope: WorkspaceScope, locationId: string, query: PageQuery) {
  await catalog.get(locations, scope, locationId);
  return repository.listMovementsOfLocation(scope.workspace.id, locationId, query.limit, query.cursor);
}
