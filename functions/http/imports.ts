// Imports (shared/domain/imports): rows of a CSV or JSON file become entities, one route per type,
// each row written through its type's own REST route (loopback, as the sync batch).
import * as contract from '../../shared/contract/imports.js';
import { httpRoute, type RouteRequest } from '../../shared/http/route.js';
import { importRows } from '../../shared/domain/imports/service.js';
import { loopback } from '../../shared/http/loopback.js';
import * as jobContract from '../../shared/contract/import-jobs.js';
import { startImportJob } from '../../shared/domain/imports/start.js';
import * as specs from '../../shared/domain/imports/specs.js';

type ImportRequest = RouteRequest<typeof contract.importItems>;

const run = (spec: () => specs.ImportSpec) => ({ scope, query, body, event, requestId }: ImportRequest) =>
  importRows(scope, loopback(event.headers.authorization ?? '', requestId), spec(), { format: body.format, data: body.data, dryRun: query.dry_run, mode: query.mode, createMissing: query.create_missing });

export const importCategories = /* @__PURE__ */ httpRoute(contract.importCategories, /* @__PURE__ */ run(specs.categoryImport));
export const importLabels = /* @__PURE__ */ httpRoute(contract.importLabels, /* @__PURE__ */ run(specs.labelImport));
export const importCompanies = /* @__PURE__ */ httpRoute(contract.importCompanies, /* @__PURE__ */ run(specs.companyImport));
export const importBorrowers = /* @__PURE__ */ httpRoute(contract.importBorrowers, /* @__PURE__ */ run(specs.borrowerImport));
export const importLocations = /* @__PURE__ */ httpRoute(contract.importLocations, /* @__PURE__ */ run(specs.locationImport));
export const importItems = /* @__PURE__ */ httpRoute(contract.importItems, /* @__PURE__ */ run(specs.itemImport));
export const importContainers = /* @__PURE__ */ httpRoute(contract.importContainers, /* @__PURE__ */ run(specs.containerImport));

/** A file too large for one request: a job, and the form its file is uploaded through. */
export const startImport = /* @__PURE__ */ httpRoute(jobContract.startImport, ({ scope, body }) => startImportJob(scope, body));
