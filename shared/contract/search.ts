// Search across a workspace (shared/domain/search): one box for items, places, people and tags.
import * as z from 'zod/mini';
import { example, Flag, IdOut, named, queryInteger, WorkspaceParams } from './common.js';
import { document, route } from './route.js';
import { asciiText, singleLine } from './text.js';

const typeNames = 'item|location|container|borrower|category|label|company';

export const SearchResult = /* @__PURE__ */ named('SearchResult', z.object({
  entity_type: z.string(),
  id: IdOut,
  name: z.string(),
  /** the best matching field, around what matched */
  snippet: z.string(),
  score: z.number(),
  matched_fields: z.array(z.string()),
}), 'One thing found: what it is, its name, the text that matched, how well, and in which fields.');
DOCS: example(SearchResult, {
  entity_type: 'item', id: '0193a5e2-7c1a-7b3e-9f00-000000001001', name: 'Cordless drill', snippet: 'Cordless drill', score: 3, matched_fields: ['name'],
});

export const searchWorkspace = /* @__PURE__ */ route({
  id: 'searchWorkspace', method: 'GET', path: '/workspaces/{workspace_id}/search', domain: 'search', access: 'viewer',
  summary: 'Find anything in the workspace by any word of it, as one types',
  description: [
    'Searches items (name, brand, model, manufacturer, codes, description), locations, containers, borrowers, categories, labels and companies. Every word of `q` must match (case and accents ignored); the last word also matches the beginning of a word (`scre` finds "screwdriver"); a word of 5 or more letters forgives one typo (`scredriver`); `"angle grinder"` needs the words together and in order; `-broken` leaves out what has that word. Codes (SKU, barcode, serial number, short code) also match without their separators.',
    'Ranked by relevance: the name above brand, model and codes, above the rest; a whole word above its beginning above a typo. `types` narrows it (`item,location`); archived things only with `include_archived=true`. Pass `next_cursor` back as `cursor` (with the same `q`) for more.',
    'The index follows every change within seconds (the change feed keeps it). A beginning of one letter matches whole words only.',
  ].join('\n\n'),
  params: WorkspaceParams,
  query: z.object({
    q: singleLine({ min: 1, max: 200 }),
    types: z.optional(asciiText({ max: 100, pattern: new RegExp(`^(${typeNames})(,(${typeNames}))*$`) })),
    limit: queryInteger(1, 50, 20),
    cursor: z.optional(asciiText({ max: 1024, pattern: /^[A-Za-z0-9_-]+$/ })),
    include_archived: Flag,
  }),
  response: z.object({ results: z.array(SearchResult), next_cursor: z.optional(z.string()) }),
  status: 200,
});
DOCS: document(searchWorkspace, { response: { results: [
  { entity_type: 'item', id: '0193a5e2-7c1a-7b3e-9f00-000000001001', name: 'Cordless screwdriver', snippet: 'Cordless screwdriver', score: 5, matched_fields: ['name', 'brand'] },
  { entity_type: 'location', id: '0193a5e2-7c1a-7b3e-9f00-000000000b01', name: 'Garage', snippet: 'Shelf by the screwdriver rack', score: 1, matched_fields: ['description'] },
] } });
