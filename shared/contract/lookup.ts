// Short codes: what a scanned QR label or a typed code names.
import * as z from 'zod/mini';
import { IdOut, Uuid } from './common.js';
import { document, route } from './route.js';
import { shortCodeText } from './text.js';

export const lookupShortCode = /* @__PURE__ */ route({
  id: 'lookupShortCode', method: 'GET', path: '/workspaces/{workspace_id}/lookup/{short_code}', domain: 'lookup', access: 'viewer',
  summary: 'What a short code names: a location, a container (or, with items, an item)',
  description: 'Codes are unique across everything scannable in a workspace and compared without case.',
  params: z.object({ workspace_id: Uuid, short_code: shortCodeText() }),
  response: z.object({ entity_type: z.enum(['ITEM', 'LOCATION', 'CONTAINER']), id: IdOut }), status: 200, errors: ['SHORT_CODE_NOT_FOUND'],
});
DOCS: document(lookupShortCode, { response: { entity_type: 'CONTAINER', id: '0193a5e2-7c1a-7b3e-9f00-000000000b01' } });
