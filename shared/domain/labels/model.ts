// A label: a coloured tag. Its name is unique in the workspace, archived ones included.
import { defineEntity, uniqueName } from '../catalog/model.js';

export const labelDefinition = defineEntity({
  type: 'LABEL', label: 'label', fields: ['name', 'color', 'description'], optional: ['color', 'description'],
  unique: [uniqueName('LABEL_NAME', 'LABEL_NAME_TAKEN')],
});
