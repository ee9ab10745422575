// What an import of each type takes (one route per type, so each bundles only its own): the entity (its service: the same create and update as the
// REST routes), the body schema of its REST create (the same validation), which columns name a
// related entity, and which are numbers. Columns are the export's (exports/columns.ts).
import type * as z from 'zod/mini';
import type { AnyEntity } from '../catalog/entity.js';
import * as categoriesContract from '../../contract/categories.js';
import * as labelsContract from '../../contract/labels.js';
import * as companiesContract from '../../contract/companies.js';
import * as borrowersContract from '../../contract/borrowers.js';
import * as locationsContract from '../../contract/locations.js';
import * as itemsContract from '../../contract/items.js';
import * as containersContract from '../../contract/containers.js';
import { categories } from '../categories/service.js';
import { labels } from '../labels/service.js';
import { companies } from '../companies/service.js';
import { borrowers } from '../borrowers/service.js';
import { locations } from '../locations/service.js';
import { items } from '../items/service.js';
import { containers } from '../containers/service.js';
/** A column naming a related entity: matched by name, or made with that name when missing and asked to. */
export interface Reference {
  column: string;
  field: string;
  entity: AnyEntity;
  /** the row fails without it */
  required?: boolean;
}

export interface ImportSpec {
  entity: AnyEntity;
  body: z.ZodMiniType;
  references: readonly Reference[];
  numbers: readonly string[];
  /** fields that find the entity a row updates (after `id`), in order */
  matchBy: readonly string[];
}

// Each spec is a function (made when its route runs), so a route's bundle keeps only its own
// type's service and schema: an object built at load time would keep all seven.
export const categoryImport = (): ImportSpec => ({
  entity: categories, body: categoriesContract.createCategory.body!, numbers: [], matchBy: ['name'],
  references: [{ column: 'parent_category', field: 'parent_category_id', entity: categories }],
});
export const labelImport = (): ImportSpec => ({ entity: labels, body: labelsContract.createLabel.body!, numbers: [], matchBy: ['name'], references: [] });
export const companyImport = (): ImportSpec => ({ entity: companies, body: companiesContract.createCompany.body!, numbers: [], matchBy: ['name'], references: [] });
export const borrowerImport = (): ImportSpec => ({ entity: borrowers, body: borrowersContract.createBorrower.body!, numbers: [], matchBy: ['email', 'name'], references: [] });
export const locationImport = (): ImportSpec => ({
  entity: locations, body: locationsContract.createLocation.body!, numbers: [], matchBy: ['short_code', 'name'],
  references: [{ column: 'parent_location', field: 'parent_location', entity: locations }],
});
export const itemImport = (): ImportSpec => ({
  entity: items, body: itemsContract.createItem.body!, numbers: ['min_stock_level'], matchBy: ['sku', 'short_code', 'name'],
  references: [{ column: 'category_name', field: 'category_id', entity: categories }],
});
export const containerImport = (): ImportSpec => ({
  entity: containers, body: containersContract.createContainer.body!, numbers: [], matchBy: ['short_code', 'name'],
  references: [{ column: 'location_name', field: 'location_id', entity: locations, required: true }],
});
