// Containers: boxes, drawers, bags at a location, each with a short code for its label.
import * as z from 'zod/mini';
import { type CatalogSpec, listRoute, getRoute, createRoute, updateRoute, archiveRoute, restoreRoute, deleteRoute, catalogRecord } from './catalog.js';
import { ClientId, example, IdOut, Uuid } from './common.js';
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

const spec: CatalogSpec = { domain: 'containers', singular: 'Container', plural: 'Containers', segment: 'containers', noun: 'container' };

export const listContainers = /* @__PURE__ */ listRoute(spec, Container);
export const getContainer = /* @__PURE__ */ getRoute(spec, Container);
export const createContainer = /* @__PURE__ */ createRoute(spec, Container, z.strictObject({
  id: z.optional(ClientId), name: Name, location_id: Uuid, description: z.optional(z.nullable(Description)), capacity: z.optional(z.nullable(Capacity)), short_code: z.optional(shortCodeText()),
}), ['REFERENCE_NOT_FOUND', 'SHORT_CODE_TAKEN']);
export const updateContainer = /* @__PURE__ */ updateRoute(spec, Container, z.strictObject({
  name: z.optional(Name), location_id: z.optional(Uuid), description: z.optional(z.nullable(Description)),
  capacity: z.optional(z.nullable(Capacity)), short_code: z.optional(shortCodeText()),
}), ['REFERENCE_NOT_FOUND', 'SHORT_CODE_TAKEN', 'CONTAINER_HAS_INVENTORY']);
export const archiveContainer = /* @__PURE__ */ archiveRoute(spec);
export const restoreContainer = /* @__PURE__ */ restoreRoute(spec);
export const deleteContainer = /* @__PURE__ */ deleteRoute(spec, ['CONTAINER_HAS_INVENTORY']);
DOCS: document(createContainer, { body: { name: 'Blue crate', location_id: containerExample.location_id, capacity: '40 l' }, response: containerExample });
DOCS: document(updateContainer, { body: { capacity: null }, response: { ...containerExample, version: 2 } });
