// A container: a box at a location (it must have one), with a short code for its QR label.
import { defineEntity, scannable } from '../catalog/model.js';

export const containerDefinition = defineEntity({
  type: 'CONTAINER', label: 'container', ...scannable,
  fields: ['name', 'location_id', 'description', 'capacity', 'short_code'], optional: ['description', 'capacity'],
  links: [{ field: 'location_id', to: 'LOCATION', counter: 'containers' }],
});
