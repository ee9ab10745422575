// A company: where things come from. Its name is unique in the workspace, archived ones included.
import { defineEntity, uniqueName } from '../catalog/model.js';

export const companyDefinition = defineEntity({
  type: 'COMPANY', label: 'company', fields: ['name', 'website', 'notes'], optional: ['website', 'notes'],
  unique: [uniqueName('COMPANY_NAME', 'COMPANY_NAME_TAKEN')],
});
