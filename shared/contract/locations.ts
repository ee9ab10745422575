// Locations: where things are (a house, a room, a shelf); a tree, each with a short code for its label.
import * as z from 'zod/mini';
import { type CatalogSpec, listRoute, getRoute, createRoute, updateRoute, archiveRoute, restoreRoute, deleteRoute, catalogRecord, EntityParams } from './catalog.js';
import { ClientId, example, IdOut, named, Uuid, withFields } from './common.js';
import { document, route } from './route.js';
import { multiLine, nameText, shortCodeText, singleLine } from './text.js';

const Name = /* @__PURE__ */ nameText(100);
const Place = /* @__PURE__ */ singleLine({ max: 50 });
const Description = /* @__PURE__ */ multiLine({ max: 2000 });

export const Location = /* @__PURE__ */ catalogRecord('Location', {
  name: z.string(),
  parent_location: z.optional(IdOut),
  zone: z.optional(z.string()),
  shelf: z.optional(z.string()),
  bin: z.optional(z.string()),
  description: z.optional(z.string()),
  short_code: z.string(),
}, 'A place things are kept; locations form a tree. Every one has a short code, unique in the workspace, for its QR label.');

const locationExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000a02', workspace_id: '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa', name: 'Garage shelf',
  parent_location: '0193a5e2-7c1a-7b3e-9f00-000000000a01', zone: 'North wall', shelf: '2', short_code: 'K7QX4M2P', is_archived: false,
  created_at: '2026-11-26T09:00:00.000Z', updated_at: '2026-11-26T09:00:00.000Z', version: 1,
};
DOCS: example(Location, locationExample);

const fields = {
  parent_location: z.optional(z.nullable(Uuid)), zone: z.optional(z.nullable(Place)), shelf: z.optional(z.nullable(Place)),
  bin: z.optional(z.nullable(Place)), description: z.optional(z.nullable(Description)),
};

const spec: CatalogSpec = { domain: 'locations', singular: 'Location', plural: 'Locations', segment: 'locations', noun: 'location' };

export const listLocations = /* @__PURE__ */ listRoute(spec, Location);
export const getLocation = /* @__PURE__ */ getRoute(spec, Location);
export const createLocation = /* @__PURE__ */ createRoute(spec, Location, z.strictObject(withFields(fields, { id: z.optional(ClientId), name: Name, short_code: z.optional(shortCodeText()) })), ['REFERENCE_NOT_FOUND', 'TREE_TOO_DEEP', 'SHORT_CODE_TAKEN']);
export const updateLocation = /* @__PURE__ */ updateRoute(spec, Location, z.strictObject(withFields(fields, { name: z.optional(Name), short_code: z.optional(shortCodeText()) })), ['REFERENCE_NOT_FOUND', 'TREE_CYCLE', 'TREE_TOO_DEEP', 'SHORT_CODE_TAKEN']);
export const archiveLocation = /* @__PURE__ */ archiveRoute(spec);
export const restoreLocation = /* @__PURE__ */ restoreRoute(spec);
export const deleteLocation = /* @__PURE__ */ deleteRoute(spec, ['LOCATION_HAS_CHILDREN', 'LOCATION_HAS_CONTAINERS', 'LOCATION_HAS_INVENTORY']);
DOCS: document(createLocation, { body: { name: 'Garage shelf', parent_location: locationExample.parent_location, zone: 'North wall', shelf: '2' }, response: locationExample });
DOCS: document(updateLocation, { body: { shelf: '3', bin: null }, response: { ...locationExample, shelf: '3', version: 2 } });

const Crumb = /* @__PURE__ */ named('LocationCrumb', z.object({ id: IdOut, name: z.string(), short_code: z.optional(z.string()) }), 'One location on the way from the outermost.');

export const getLocationBreadcrumb = /* @__PURE__ */ route({
  id: 'getLocationBreadcrumb', method: 'GET', path: '/workspaces/{workspace_id}/locations/{id}/breadcrumb', domain: 'locations', access: 'viewer',
  summary: 'The path from the outermost location down to this one (outermost first, this one last)', params: EntityParams,
  response: z.object({ breadcrumb: z.array(Crumb) }), status: 200, errors: ['NOT_FOUND'],
});
DOCS: document(getLocationBreadcrumb, { response: { breadcrumb: [{ id: locationExample.parent_location, name: 'Garage', short_code: 'H3RT9WXA' }, { id: locationExample.id, name: 'Garage shelf', short_code: 'K7QX4M2P' }] } });
