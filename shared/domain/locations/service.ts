// Locations: the catalog lifecycle, plus the breadcrumb a label or a screen shows ("House › Garage › Shelf 2").
import type { WorkspaceScope } from '../../http/caller.js';
import type { z } from 'zod/mini';
import type { Location } from '../../contract/locations.js';
import * as catalog from '../catalog/operations.js';
import { breadcrumbOf } from '../catalog/tree.js';
import { treeWalk } from '../catalog/tree-walk.js';
import { locationDefinition } from './model.js';
import { uniques } from '../catalog/uniques.js';

export const locations = /* @__PURE__ */ catalog.entity<LocationRecord>(locationDefinition, { treeWalk, uniques });

export async function breadcrumb(scope: WorkspaceScope, id: string) {
  const chain = await breadcrumbOf(locations, scope, id);
  return { breadcrumb: chain.map((location) => ({ id: location.id, name: location.name ?? '', short_code: location.short_code as string })) };
}

/** A location as callers see it (the contract's answer). */
export type LocationRecord = z.output<typeof Location>;
