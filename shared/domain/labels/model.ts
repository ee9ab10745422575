// A label: a coloured tag. Its name is unique in the workspace, archived ones included.
import { defineEntity } from '../catalog/model.js';

export const labelDefinition = defineEntity({
  type: 'LABEL',
  label: 'label',
  fields: ['name', 'color', 'description'],
  optional: ['color', 'description'],
  unique: [{ field: 'name', kind: 'LABEL_NAME', code: 'LABEL_NAME_TAKEN', normalise: 'name' }],
});
