// A container: a box at a location (it must have one), with a short code for its QR label.
import { defineEntity, shortCodeKind } from '../catalog/model.js';

export const containerDefinition = defineEntity({
  type: 'CONTAINER',
  label: 'container',
  fields: ['name', 'location_id', 'description', 'capacity', 'short_code'],
  optional: ['description', 'capacity'],
  links: [{ field: 'location_id', to: 'LOCATION', counter: 'containers' }],
  shortCode: { field: 'short_code' },
  unique: [{ field: 'short_code', kind: shortCodeKind, code: 'SHORT_CODE_TAKEN', normalise: 'code' }],
});
