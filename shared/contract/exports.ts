// Export: every entity of one type as a CSV or JSON file (GO_API_REFERENCE.md §4.19), with the
// related names really filled, inventory and loans too. A file too large for one answer is made in
// the background (202 and a job; shared/domain/exports).
import * as z from 'zod/mini';
import { Flag, Uuid } from './common.js';
import { Job } from './jobs.js';
import { document, route } from './route.js';
import { oneOf } from './text.js';

export const exportTypes = ['item', 'location', 'container', 'category', 'label', 'company', 'borrower', 'inventory', 'loan'] as const;
export const exportFormats = ['csv', 'json'] as const;

export const exportEntities = /* @__PURE__ */ route({
  id: 'exportEntities', method: 'GET', path: '/workspaces/{workspace_id}/export/{entity_type}', domain: 'exports', access: 'viewer',
  summary: 'Download every entity of one type as CSV or JSON',
  description: [
    'Rows are ordered by name (inventory by item name, loans newest first); with `include_archived=true` the archived ones too. Related entities appear by name beside their ids (`category_name`, `parent_location`, `location_name`, `parent_category`, and for inventory and loans the item, location, container and borrower names).',
    'CSV is RFC 4180: UTF-8 with a byte order mark (spreadsheets then read accents right), a header row, CRLF line ends, quoted where needed. A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `\'` so a spreadsheet shows it instead of running it (the import takes the `\'` off again). Timestamps are RFC 3339 in seconds, booleans `true`/`false`, missing values empty. JSON is a two-space indented array of objects with the same keys and typed values.',
    'A file larger than about 5.5 MB (what one answer can carry) is made in the background: the answer is then 202 with the job, whose status gives a download link when it is DONE.',
  ].join('\n\n'),
  params: z.object({ workspace_id: Uuid, entity_type: oneOf(exportTypes) }),
  query: z.object({ format: z._default(oneOf(exportFormats), 'csv'), include_archived: Flag }),
  status: 200, produces: ['text/csv', 'application/json'],
  accepted: { response: Job, location: '/workspaces/{workspace_id}/jobs/{id}' },
  // a GET that may record a job
  grants: { table: 'write' },
  timeout: 29,
});
DOCS: document(exportEntities, {
  response: [{
    id: '0193a5e2-7c1a-7b3e-9f00-000000000c01', name: 'Power tools', parent_category: 'Tools', description: 'Drills, saws, sanders', is_archived: false,
    created_at: '2026-11-26T09:00:00Z', updated_at: '2026-11-26T09:00:00Z',
  }],
});
