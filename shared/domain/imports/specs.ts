// What an import of each type takes (one route per type): the type's declaration (its label and
// unique values, data only), its REST collection (the import writes each row through that type's
// own create and update routes), the body schema of its REST create (the same validation, for the
// per-row report and the dry run), which columns name a related entity, and which are numbers.
// Columns are the export's (exports/columns.ts).
import type * as z from 'zod/mini';
import type { EntityDefinition } from '../catalog/model.js';
import * as categoriesContract from '../../contract/categories.js';
import * as labelsContract from '../../contract/labels.js';
import * as companiesContract from '../../contract/companies.js';
import * as borrowersContract from '../../contract/borrowers.js';
import * as locationsContract from '../../contract/locations.js';
import * as itemsContract from '../../contract/items.js';
import * as containersContract from '../../contract/containers.js';
import { categoryDefinition } from '../categories/model.js';
import { labelDefinition } from '../labels/model.js';
import { companyDefinition } from '../companies/model.js';
import { borrowerDefinition } from '../borrowers/model.js';
import { locationDefinition } from '../locations/model.js';
import { itemDefinition } from '../items/model.js';
import { containerDefinition } from '../containers/model.js';

/** A type as the import writes it: its declaration and its REST collection (`/workspaces/{id}/<segment>`). */
export interface ImportTarget {
  definition: EntityDefinition;
  segment: string;
}

/** A column naming a related entity: matched by name, or made with that name when missing and asked to. */
export interface Reference {
  column: string;
  field: string;
  target: ImportTarget;
  /** the row fails without it */
  required?: boolean;
}

export interface ImportSpec extends ImportTarget {
  body: z.ZodMiniType;
  references: readonly Reference[];
  numbers: readonly string[];
  /** fields that find the entity a row updates (after `id`), in order */
  matchBy: readonly string[];
}

const categoryTarget = (): ImportTarget => ({ definition: categoryDefinition, segment: 'categories' });
const locationTarget = (): ImportTarget => ({ definition: locationDefinition, segment: 'locations' });

// Each spec is a function (made when its route runs), so a route's bundle keeps only its own
// type's declaration and schema: an object built at load time would keep all seven.
export const categoryImport = (): ImportSpec => ({
  ...categoryTarget(), body: categoriesContract.createCategory.body!, numbers: [], matchBy: ['name'],
  references: [{ column: 'parent_category', field: 'parent_category_id', target: categoryTarget() }],
});
export const labelImport = (): ImportSpec => ({ definition: labelDefinition, segment: 'labels', body: labelsContract.createLabel.body!, numbers: [], matchBy: ['name'], references: [] });
export const companyImport = (): ImportSpec => ({ definition: companyDefinition, segment: 'companies', body: companiesContract.createCompany.body!, numbers: [], matchBy: ['name'], references: [] });
export const borrowerImport = (): ImportSpec => ({ definition: borrowerDefinition, segment: 'borrowers', body: borrowersContract.createBorrower.body!, numbers: [], matchBy: ['email', 'name'], references: [] });
export const locationImport = (): ImportSpec => ({
  ...locationTarget(), body: locationsContract.createLocation.body!, numbers: [], matchBy: ['short_code', 'name'],
  references: [{ column: 'parent_location', field: 'parent_location', target: locationTarget() }],
});
export const itemImport = (): ImportSpec => ({
  definition: itemDefinition, segment: 'items', body: itemsContract.createItem.body!, numbers: ['min_stock_level'], matchBy: ['sku', 'short_code', 'name'],
  references: [{ column: 'category_name', field: 'category_id', target: categoryTarget() }],
});
export const containerImport = (): ImportSpec => ({
  definition: containerDefinition, segment: 'containers', body: containersContract.createContainer.body!, numbers: [], matchBy: ['short_code', 'name'],
  references: [{ column: 'location_name', field: 'location_id', target: locationTarget(), required: true }],
});
