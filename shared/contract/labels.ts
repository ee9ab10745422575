// Labels: coloured tags on items ("fragile", "winter").
import * as z from 'zod/mini';
import { type CatalogSpec, listRoute, getRoute, createRoute, updateRoute, archiveRoute, restoreRoute, deleteRoute, catalogRecord } from './catalog.js';
import { ClientId, example } from './common.js';
import { document } from './route.js';
import { colourText, multiLine, nameText } from './text.js';

const Name = /* @__PURE__ */ nameText(100);
const Description = /* @__PURE__ */ multiLine({ max: 2000 });

export const Label = /* @__PURE__ */ catalogRecord('Label', {
  name: z.string(),
  color: z.optional(z.string()),
  description: z.optional(z.string()),
}, 'A tag for items. Names are unique in the workspace (archived ones included), compared without case or accents.');

const labelExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000e01', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', name: 'Fragile', color: '#FF0000',
  is_archived: false, created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Label, labelExample);

const spec: CatalogSpec = { domain: 'labels', singular: 'Label', plural: 'Labels', segment: 'labels', noun: 'label' };

export const listLabels = /* @__PURE__ */ listRoute(spec, Label);
export const getLabel = /* @__PURE__ */ getRoute(spec, Label);
export const createLabel = /* @__PURE__ */ createRoute(spec, Label, z.strictObject({ id: z.optional(ClientId), name: Name, color: z.optional(z.nullable(colourText())), description: z.optional(z.nullable(Description)) }), ['LABEL_NAME_TAKEN']);
export const updateLabel = /* @__PURE__ */ updateRoute(spec, Label, z.strictObject({ name: z.optional(Name), color: z.optional(z.nullable(colourText())), description: z.optional(z.nullable(Description)) }), ['LABEL_NAME_TAKEN']);
export const archiveLabel = /* @__PURE__ */ archiveRoute(spec);
export const restoreLabel = /* @__PURE__ */ restoreRoute(spec);
export const deleteLabel = /* @__PURE__ */ deleteRoute(spec);
DOCS: document(createLabel, { body: { name: 'Fragile', color: '#FF0000' }, response: labelExample });
DOCS: document(updateLabel, { body: { color: '#00AA00' }, response: { ...labelExample, color: '#00AA00', version: 2 } });
