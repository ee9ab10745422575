import { defineError } from '../errors.js';

export const CatalogNotFound = /* @__PURE__ */ defineError('NOT_FOUND', 'No such entity in this workspace.');
export const ReferenceNotFound = /* @__PURE__ */ defineError('REFERENCE_NOT_FOUND', 'What this links to does not exist in this workspace.');
export const TreeCycle = /* @__PURE__ */ defineError('TREE_CYCLE', 'This would place it inside itself.');
export const TreeTooDeep = /* @__PURE__ */ defineError('TREE_TOO_DEEP', 'This tree would grow too deep.');
