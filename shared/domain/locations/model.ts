// A location: a tree of places, each with a short code for its QR label. A location with child
// locations or containers (or, with the items issue, inventory) cannot be deleted.
import { defineEntity, shortCodeKind } from '../catalog/model.js';

export const locationDefinition = defineEntity({
  type: 'LOCATION',
  label: 'location',
  fields: ['name', 'parent_location', 'zone', 'shelf', 'bin', 'description', 'short_code'],
  optional: ['parent_location', 'zone', 'shelf', 'bin', 'description'],
  links: [{ field: 'parent_location', to: 'LOCATION', counter: 'child_locations', tree: true }],
  shortCode: { field: 'short_code' },
  unique: [{ field: 'short_code', kind: shortCodeKind, code: 'SHORT_CODE_TAKEN', normalise: 'code' }],
  deleteRules: [
    { counter: 'child_locations', code: 'LOCATION_HAS_CHILDREN', message: 'The location has child locations; move or delete them first.' },
    { counter: 'containers', code: 'LOCATION_HAS_CONTAINERS', message: 'Containers are at this location; move or delete them first.' },
  ],
});
