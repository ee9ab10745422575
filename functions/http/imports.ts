// Imports (shared/domain/imports): rows of a CSV or JSON file become entities, one route per type.
import * as contract from '../../shared/contract/imports.js';
import { httpRoute, type RouteRequest } from '../../shared/http/route.js';
import { importRows } from '../../shared/domain/imports/service.js';
import * as specs from '../../shared/domain/imports/specs.js';

type ImportRequest = RouteRequest<typeof contract.importItems>;

const run = (spec: () => specs.ImportSpec) => ({ scope, caller, query, body }: ImportRequest) =>
  importRows(scope, caller.user.id, spec(), { format: body.format, data: body.data, dryRun: query.dry_run, mode: query.mode, createMissing: query.create_missing });

export const importCategories = /* @__PURE__ */ httpRoute(contract.importCategories, /* @__PURE__ */ run(specs.categoryImport));
export const importLabels = /* @__PURE__ */ httpRoute(contract.importLabels, /* @__PURE__ */ run(specs.labelImport));
export const importCompanies = /* @__PURE__ */ httpRoute(contract.importCompanies, /* @__PURE__ */ run(specs.companyImport));
export const importBorrowers = /* @__PURE__ */ httpRoute(contract.importBorrowers, /* @__PURE__ */ run(specs.borrowerImport));
export const importLocations = /* @__PURE__ */ httpRoute(contract.importLocations, /* @__PURE__ */ run(specs.locationImport));
export const importItems = /* @__PURE__ */ httpRoute(contract.importItems, /* @__PURE__ */ run(specs.itemImport));
export const importContainers = /* @__PURE__ */ httpRoute(contract.importContainers, /* @__PURE__ */ run(specs.containerImport));
