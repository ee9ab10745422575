// A location: a tree of places, each with a short code for its QR label. A location with child
// locations, containers or inventory rows cannot be deleted.
import { defineEntity, scannable } from '../catalog/model.js';

export const locationDefinition = defineEntity({
  type: 'LOCATION', label: 'location', ...scannable,
  fields: ['name', 'parent_location', 'zone', 'shelf', 'bin', 'description', 'short_code'],
  optional: ['parent_location', 'zone', 'shelf', 'bin', 'description'],
  links: [{ field: 'parent_location', to: 'LOCATION', counter: 'child_locations', tree: true }],
  deleteRules: [
    { counter: 'child_locations', code: 'LOCATION_HAS_CHILDREN', message: 'The location has child locations; move or delete them first.' },
    { counter: 'containers', code: 'LOCATION_HAS_CONTAINERS', message: 'Containers are at this location; move or delete them first.' },
    { counter: 'inventory', code: 'LOCATION_HAS_INVENTORY', message: 'Inventory rows are at this location (archived ones included); move them first.' },
  ],
});
