// Containers: boxes, drawers, bags at a location, each with a short code for its label.
import * as z from 'zod/mini';
import { catalogRecord, catalogRoutes } from './catalog.js';
import { example, IdOut, Uuid } from './common.js';
import { document } from './route.js';
import { multiLine, nameText, shortCodeText, singleLine } from './text.js';

const Name = /* @__PURE__ */ nameText(200);
const Description = /* @__PURE__ */ multiLine({ max: 2000 });
const Capacity = /* @__PURE__ */ singleLine({ max: 100 });

export const Container = /* @__PURE__ */ catalogRecord('Container', {
  name: z.string(),
  location_id: IdOut,
  description: z.optional(z.string()),
  capacity: z.optional(z.string()),
  short_code: z.string(),
}, 'A box, drawer or bag at a location. Every one has a short code, unique in the workspace, for its QR label.');

const containerExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000b01', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', name: 'Blue crate',
  location_id: '0193a5e2-7c1a-7b3e-9f00-000000000a02', capacity: '40 l', short_code: 'BX7M2Q9C', is_archived: false,
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Container, containerExample);

export const {
  listContainers, getContainer, createContainer, updateContainer, archiveContainer, restoreContainer, deleteContainer,
} = /* @__PURE__ */ catalogRoutes({
  domain: 'containers', singular: 'Container', plural: 'Containers', segment: 'containers', noun: 'container', record: Container,
  create: z.strictObject({
    name: Name, location_id: Uuid, description: z.optional(z.nullable(Description)), capacity: z.optional(z.nullable(Capacity)), short_code: z.optional(shortCodeText()),
  }),
  update: z.strictObject({
    name: z.optional(Name), location_id: z.optional(Uuid), description: z.optional(z.nullable(Description)),
    capacity: z.optional(z.nullable(Capacity)), short_code: z.optional(shortCodeText()),
  }),
  errors: { create: ['REFERENCE_NOT_FOUND', 'SHORT_CODE_TAKEN'], update: ['REFERENCE_NOT_FOUND', 'SHORT_CODE_TAKEN'], delete: ['CONTAINER_HAS_INVENTORY'] },
});
DOCS: document(createContainer, { body: { name: 'Blue crate', location_id: containerExample.location_id, capacity: '40 l' }, response: containerExample });
DOCS: document(updateContainer, { body: { capacity: null }, response: { ...containerExample, version: 2 } });
