// Every entity declared on the catalog engine, by type: what the change feed's projectors read to
// know an entity's fields (activity diffs, change-log views) and its counters (never shown).
import { tallyPrefix, type EntityDefinition } from './model.js';
import { categoryDefinition } from '../categories/model.js';
import { locationDefinition } from '../locations/model.js';
import { containerDefinition } from '../containers/model.js';
import { companyDefinition } from '../companies/model.js';
import { labelDefinition } from '../labels/model.js';
import { borrowerDefinition } from '../borrowers/model.js';
import { itemDefinition } from '../items/model.js';
import { inventoryDefinition } from '../inventory/model.js';
import { loanDefinition } from '../loans/model.js';
import { attachmentDefinition } from '../attachments/model.js';

export const catalogDefinitions: readonly EntityDefinition[] = [
  categoryDefinition, locationDefinition, containerDefinition, companyDefinition, labelDefinition, borrowerDefinition, itemDefinition, inventoryDefinition, loanDefinition, attachmentDefinition,
];

const byType = new Map(catalogDefinitions.map((definition) => [definition.type, definition]));

export const definitionOf = (type: string | undefined): EntityDefinition | undefined => (type ? byType.get(type) : undefined);

/** Attributes of a stored entity nobody outside sees: keys, bookkeeping, counters of what links to it. */
export function internalAttributes(definition: EntityDefinition): ReadonlySet<string> {
  return new Set([
    'PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK', 'entity', 'ttl', 'created_by', 'updated_by',
    ...catalogDefinitions.flatMap((other) => (other.links ?? []).filter((link) => link.to === definition.type)
      .flatMap((link) => [link.counter, ...(link.sums ?? []).map((sum) => sum.into)])),
    ...(definition.deleteRules ?? []).map((rule) => rule.counter),
    ...(definition.hidden ?? []),
  ]);
}

/** The entity as its API answer shows it (what the change log carries to sync clients). */
export function publicView(definition: EntityDefinition, image: Record<string, unknown>): Record<string, unknown> {
  const hidden = internalAttributes(definition);
  // tallies (`tally#…`, model.ts LinkRule) are named by values, so they are hidden by their prefix
  const shown = Object.fromEntries(Object.entries(image).filter(([name]) => !hidden.has(name) && !name.startsWith(tallyPrefix)));
  // derived fields may rest on hidden ones (what is available rests on what is on loan)
  return definition.view ? { ...shown, ...definition.view(image) } : shown;
}
