// A container: a box at a location (it must have one), with a short code for its QR label. A
// container holding inventory rows cannot be deleted, nor moved to another location.
import { defineEntity, scannable } from '../catalog/model.js';
import { fixedWhile } from '../catalog/change-rules.js';

/**
 * Its rows are at the container's location (an inventory row's container must agree with the
 * row's location): the container moves only once it is empty. Given to its entity by the service.
 */
export const containerChangeRules = () => fixedWhile([
  { field: 'location_id', counter: 'inventory', code: 'CONTAINER_HAS_INVENTORY', message: 'Inventory rows are in this container (archived ones included); move them first.' },
]);

export const containerDefinition = defineEntity({
  type: 'CONTAINER', label: 'container', ...scannable,
  fields: ['name', 'location_id', 'description', 'capacity', 'short_code'], optional: ['description', 'capacity'],
  links: [{ field: 'location_id', to: 'LOCATION', counter: 'containers' }],
  deleteRules: [
    { counter: 'inventory', code: 'CONTAINER_HAS_INVENTORY', message: 'Inventory rows are in this container (archived ones included); move them first.' },
  ],
});
