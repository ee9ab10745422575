// A borrower: someone things are lent to. Deleting one archives it, so past loans keep a name;
// it is refused while they hold something (their open loans add up in `loaned_quantity`).
import { defineEntity } from '../catalog/model.js';

export const borrowerDefinition = defineEntity({
  type: 'BORROWER', label: 'borrower', fields: ['name', 'email', 'phone', 'notes'], optional: ['email', 'phone', 'notes'], deletes: 'archive',
  deleteRules: [{ counter: 'loaned_quantity', code: 'BORROWER_HAS_ACTIVE_LOANS', message: 'The borrower has loans not yet returned; return them first.' }],
});
