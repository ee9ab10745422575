// A category: a tree of kinds of things. A category with child categories cannot be deleted.
import { defineEntity } from '../catalog/model.js';

export const categoryDefinition = defineEntity({
  type: 'CATEGORY', label: 'category', fields: ['name', 'parent_category_id', 'description'], optional: ['parent_category_id', 'description'],
  links: [{ field: 'parent_category_id', to: 'CATEGORY', counter: 'child_categories', tree: true }],
  deleteRules: [{ counter: 'child_categories', code: 'CATEGORY_HAS_CHILDREN', message: 'The category has child categories; move or delete them first.' }],
});
