// Printing: label sheets with QR codes for the things people label (boxes, shelves, tools), and
// the insurance report (everything insured or valued, by room, with photos and receipts). Both
// are PDFs made by a background job (contract/jobs.ts): rendering needs a PDF library and embedded
// fonts, far more than a route's cold-start budget allows, so the route checks the request,
// records the job and answers 202; `GET …/jobs/{id}` gives the file when it is ready.
import * as z from 'zod/mini';
import { Uuid, WorkspaceParams } from './common.js';
import { Job, queuedJobExample } from './jobs.js';
import { document, route } from './route.js';
import { integer, oneOf } from './text.js';

export const labelLayoutIds = ['AVERY_L7160', 'AVERY_5160', 'AVERY_L7651', 'BROTHER_QL_62X29'] as const;
export const labelFields = ['name', 'short_code', 'parent', 'qr'] as const;
/** Things one sheet request may name, and labels it may print in all (copies included). */
export const labelLimits = { targets: 500, labels: 2_000, copies: 100 } as const;

export const createLabelSheets = /* @__PURE__ */ route({
  id: 'createLabelSheets', method: 'POST', path: '/workspaces/{workspace_id}/print/label-sheets', domain: 'print', access: 'viewer',
  summary: 'Print QR labels for items, locations and containers on a label sheet (PDF, made in the background)',
  description: [
    'Each label carries the thing\'s QR code (the same link as `GET …/qr`: a phone camera opens the app on it), its name (long names shrink, then wrap, then end in "…": never past the label), its short code in large type for a person to type, and for locations and containers the location they are in.',
    'Layouts: `AVERY_L7160` (A4, 3 × 7 labels of 63.5 × 38.1 mm), `AVERY_5160` (US Letter, 3 × 10 of 2⅝ × 1 in), `AVERY_L7651` (A4, 5 × 13 minis of 38.1 × 21.2 mm), `BROTHER_QL_62X29` (one 62 × 29 mm thermal label per page).',
    '`start_position` (1 = top left, across then down) skips the used labels of a half-used first sheet; `copies` prints each thing that many times, side by side; `fields` chooses what each label shows (all by default). Names in Latin, Greek and Cyrillic scripts print (the font is embedded).',
    `At most ${labelLimits.targets} things and ${labelLimits.labels} labels in all. A thing that is not in this workspace is 422 \`REFERENCE_NOT_FOUND\` at its place in \`targets\`.`,
    'Answers 202 with the job; poll `GET /workspaces/{workspace_id}/jobs/{id}` (the `Location` header) for the PDF. Any member may print, viewers included: it shows only what they can read.',
  ].join('\n\n'),
  params: WorkspaceParams,
  body: z.strictObject({
    layout: oneOf(labelLayoutIds),
    targets: z.array(z.strictObject({ entity_type: oneOf(['ITEM', 'LOCATION', 'CONTAINER']), id: Uuid })).check(z.minLength(1), z.maxLength(labelLimits.targets)),
    start_position: z.optional(integer(1, 65)),
    copies: z.optional(integer(1, labelLimits.copies)),
    fields: z.optional(z.array(oneOf(labelFields)).check(z.minLength(1), z.maxLength(labelFields.length))),
  }),
  response: Job, status: 202, location: '/workspaces/{workspace_id}/jobs/{id}', errors: ['REFERENCE_NOT_FOUND'],
});
DOCS: document(createLabelSheets, {
  body: { layout: 'AVERY_L7160', targets: [{ entity_type: 'CONTAINER', id: '0193a5e2-7c1a-7b3e-9f00-000000000c01' }, { entity_type: 'LOCATION', id: '0193a5e2-7c1a-7b3e-9f00-000000000b01' }], start_position: 4, copies: 2 },
  response: { ...queuedJobExample, progress: { processed: 0, total: 4 } },
});

export const createInsuranceReport = /* @__PURE__ */ route({
  id: 'createInsuranceReport', method: 'POST', path: '/workspaces/{workspace_id}/reports/insurance', domain: 'print', access: 'viewer',
  summary: 'The insurance report: a PDF of what the household owns, by room, with values, photos and papers (made in the background)',
  description: [
    'A cover page with the total value per currency (amounts in different currencies are never added together) and the number of things without a price; then every inventory row grouped by location: the item\'s photo (its primary attachment, when a JPEG or PNG), brand, model, serial number, quantity, purchase date and price (price × quantity), warranty, and the titles of its receipts, warranties and manuals; the total of each location; at the end the totals per category.',
    'Narrow it with `location_ids` (those locations and everything inside them is not implied: list each), `category_ids` and `insured_only` (items marked insured). Archived items and rows are left out.',
    'Answers 202 with the job; poll `GET /workspaces/{workspace_id}/jobs/{id}` (the `Location` header): `progress` counts the rows written. Any member may ask for it, viewers included.',
  ].join('\n\n'),
  params: WorkspaceParams,
  body: z.strictObject({
    location_ids: z.optional(z.array(Uuid).check(z.maxLength(100))),
    category_ids: z.optional(z.array(Uuid).check(z.maxLength(100))),
    insured_only: z.optional(z.boolean()),
  }),
  response: Job, status: 202, location: '/workspaces/{workspace_id}/jobs/{id}',
});
DOCS: document(createInsuranceReport, {
  body: { insured_only: true },
  response: { ...queuedJobExample, kind: 'INSURANCE_REPORT', progress: { processed: 0, total: 0 } },
});
