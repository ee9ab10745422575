// Exports (shared/domain/exports): every entity of a type as CSV or JSON.
import * as contract from '../../shared/contract/exports.js';
import { httpRoute } from '../../shared/http/route.js';
import { exportEntities as makeExport } from '../../shared/domain/exports/service.js';

export const exportEntities = /* @__PURE__ */ httpRoute(contract.exportEntities, ({ scope, params, query }) =>
  makeExport(scope, { entity_type: params.entity_type, format: query.format, include_archived: query.include_archived }));
