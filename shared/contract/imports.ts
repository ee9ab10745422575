// Import: rows of a CSV or JSON file become entities, each validated by the same schema and
// written through the same service as its REST create (shared/domain/imports). GO_API_REFERENCE.md
// §4.19, with our error codes per row instead of database text, a dry run, and upserts.
import * as z from 'zod/mini';
import { example, Flag, IntOut, named, WorkspaceParams } from './common.js';
import { errorCodes, type ErrorCode } from './errors.js';
import { document, route } from './route.js';
import { asciiText, oneOf } from './text.js';

export const importTypes = ['category', 'label', 'company', 'borrower', 'location', 'item', 'container'] as const;
/**
 * Rows one request imports: each is its own transaction, one after another (a row may name one made
 * above it), ~10–20 ms each on DynamoDB, so 500 rows stay well inside the route's 29 s.
 */
export const maxImportRows = 500;

export const ImportReport = /* @__PURE__ */ named('ImportReport', z.object({
  total_rows: IntOut,
  succeeded: IntOut,
  failed: IntOut,
  /** rows that made a new entity (in a dry run: would make) */
  created: IntOut,
  /** rows that changed an existing one (upsert); a row equal to what is stored changes nothing and counts in neither */
  updated: IntOut,
  /** related entities made because a row named one that did not exist (`create_missing=true`) */
  created_related: IntOut,
  dry_run: z.boolean(),
  errors: z.array(z.object({ row: IntOut, column: z.optional(z.string()), code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]), message: z.string() })),
}), 'What an import did (or, in a dry run, would do): counts, and per failed row its number (1-based, the header not counted), the column at fault when there is one, a code and a message.');
export type ImportReportView = z.infer<typeof ImportReport>;
DOCS: example(ImportReport, {
  total_rows: 3, succeeded: 2, failed: 1, created: 2, updated: 0, created_related: 1, dry_run: false,
  errors: [{ row: 3, column: 'sku', code: 'ITEM_SKU_TAKEN', message: 'Another item already has this sku.' }],
});

/** The import of one type: a route of its own, so its Lambda bundles only that type's create and update. */
function importRoute(id: string, type: (typeof importTypes)[number], plural: string) {
  return route({
    id, method: 'POST', path: `/workspaces/{workspace_id}/import/${type}`, domain: 'imports', access: 'member',
    summary: `Import ${plural} from a CSV or JSON file`,
    description: [
      '`data` is the file in base64: CSV with a header row (names in any case; a byte order mark, CRLF, quoted commas and newlines are fine) or a JSON array of objects. Columns are those of the export of the same type; related entities are named (`category_name`, `parent_category`, `parent_location`, `location_name`) and matched by name among the active ones, case and accents ignored. With `create_missing=true` a name that matches nothing is created (a category or location at the top); otherwise the row fails with REFERENCE_NOT_FOUND. A cell starting with `\'` followed by `=`, `+`, `-` or `@` loses the `\'` (what the export adds).',
      'Each row is validated by the same rules as `POST` of that type and written by that type\'s own `POST` (or, when upserting, `PATCH` at the version read) with your token, so the same rules, roles, uniqueness, activity and change log apply: a failing row fails alone, with the code the route answered. `mode=upsert` matches a row to an existing entity by `id`, else SKU (items), else short code, else name (borrowers: email, then name), and changes only the fields that differ, so importing the same file again changes nothing. `dry_run=true` checks every row (references, duplicates in the file and against what is stored) and writes nothing. Rows naming another row of the file as their parent are written after it.',
      `At most ${maxImportRows} rows per request.`,
    ].join('\n\n'),
    params: WorkspaceParams,
    query: z.object({ dry_run: Flag, mode: z._default(oneOf(['create', 'upsert'] as const), 'create'), create_missing: Flag }),
    body: z.strictObject({ format: oneOf(['csv', 'json'] as const), data: asciiText({ min: 1, max: 1_400_000, pattern: /^[A-Za-z0-9+/=\s]*$/ }) }),
    response: ImportReport, status: 200, errors: ['IMPORT_UNREADABLE', 'IMPORT_TOO_MANY_ROWS', 'RESOURCE_BUSY'],
    // rows are written by the type's own routes (shared/domain/imports/service.ts): this Lambda only reads
    timeout: 29, grants: { table: 'read' },
  });
}

export const importCategories = /* @__PURE__ */ importRoute('importCategories', 'category', 'categories');
export const importLabels = /* @__PURE__ */ importRoute('importLabels', 'label', 'labels');
export const importCompanies = /* @__PURE__ */ importRoute('importCompanies', 'company', 'companies');
export const importBorrowers = /* @__PURE__ */ importRoute('importBorrowers', 'borrower', 'borrowers');
export const importLocations = /* @__PURE__ */ importRoute('importLocations', 'location', 'locations');
export const importItems = /* @__PURE__ */ importRoute('importItems', 'item', 'items');
export const importContainers = /* @__PURE__ */ importRoute('importContainers', 'container', 'containers');
const importExample = {
  body: { format: 'csv' as const, data: 'bmFtZSxza3UsY2F0ZWdvcnlfbmFtZQpDb3JkbGVzcyBkcmlsbCxEUi0wMDEsVG9vbHMK' },
  response: { total_rows: 1, succeeded: 1, failed: 0, created: 1, updated: 0, created_related: 0, dry_run: false, errors: [] },
};
DOCS: document(importCategories, importExample);
DOCS: document(importLabels, importExample);
DOCS: document(importCompanies, importExample);
DOCS: document(importBorrowers, importExample);
DOCS: document(importLocations, importExample);
DOCS: document(importItems, importExample);
DOCS: document(importContainers, importExample);
