// A borrower: someone things are lent to. Deleting one archives it, so past loans keep a name;
// the loans issue adds the rule that refuses it while loans are active.
import { defineEntity } from '../catalog/model.js';

export const borrowerDefinition = defineEntity({
  type: 'BORROWER', label: 'borrower', fields: ['name', 'email', 'phone', 'notes'], optional: ['email', 'phone', 'notes'], deletes: 'archive',
});
