// Every operation of the catalog engine, for `import * as catalog from '.../catalog/operations.js'`:
// `catalog.get(items, scope, id)`. Each lives in the module of its kind, so a route's bundle holds
// only what its handler calls.
export { entity, present, type Entity, type EntityInput, type ListQuery, type RecordOf } from './entity.js';
export { get, list, listByLookup, listLinked, read } from './read.js';
export { create, creating } from './create.js';
export { archive, change, changeWith, restore, unlink, update, type Plan } from './change.js';
export { remove } from './delete.js';
