// Labels: coloured tags on items ("fragile", "winter").
import * as z from 'zod/mini';
import { catalogRecord, catalogRoutes } from './catalog.js';
import { example } from './common.js';
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

export const {
  listLabels, getLabel, createLabel, updateLabel, archiveLabel, restoreLabel, deleteLabel,
} = /* @__PURE__ */ catalogRoutes({
  domain: 'labels', singular: 'Label', plural: 'Labels', segment: 'labels', noun: 'label', record: Label,
  create: z.strictObject({ name: Name, color: z.optional(z.nullable(colourText())), description: z.optional(z.nullable(Description)) }),
  update: z.strictObject({ name: z.optional(Name), color: z.optional(z.nullable(colourText())), description: z.optional(z.nullable(Description)) }),
  errors: { create: ['LABEL_NAME_TAKEN'], update: ['LABEL_NAME_TAKEN'] },
});
DOCS: document(createLabel, { body: { name: 'Fragile', color: '#FF0000' }, response: labelExample });
DOCS: document(updateLabel, { body: { color: '#00AA00' }, response: { ...labelExample, color: '#00AA00', version: 2 } });
