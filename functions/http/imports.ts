// Imports (shared/domain/imports): rows of a CSV or JSON file become entities.
import * as contract from '../../shared/contract/imports.js';
import { httpRoute } from '../../shared/http/route.js';
import { importRows } from '../../shared/domain/imports/service.js';

export const importEntities = /* @__PURE__ */ httpRoute(contract.importEntities, ({ scope, caller, params, query, body }) =>
  importRows(scope, caller.user.id, params.entity_type, { format: body.format, data: body.data, dryRun: query.dry_run, mode: query.mode, createMissing: query.create_missing }));
