// A company: where things come from. Its name is unique in the workspace, archived ones included.
import { defineEntity } from '../catalog/model.js';

export const companyDefinition = defineEntity({
  type: 'COMPANY',
  label: 'company',
  fields: ['name', 'website', 'notes'],
  optional: ['website', 'notes'],
  unique: [{ field: 'name', kind: 'COMPANY_NAME', code: 'COMPANY_NAME_TAKEN', normalise: 'name' }],
});
