// Unique values of an entity (a short code, an item's SKU, a company's or label's name): each is
// held by a guard item (`WS#…#UNIQUE | KIND#VALUE`) that the entity's create, change and delete
// put or delete in their own transaction, so two entities can never hold one value. Code, not
// data: a service whose definition declares `unique` gives it to its entity
// (`catalog.entity(definition, { uniques })`), so the routes of entities without unique values
// (inventory rows, loans, borrowers) do not carry it (~1 KB of their bundles).
import { DomainError } from '../errors.js';
import { shortCodeKind, type EntityDefinition } from './model.js';
import * as repository from './repository.js';
import type { Step } from './writes.js';

export interface Uniques {
  /** The guard writes that take the record `before` to `after` (no `before`: a create; no `after`: a delete). */
  steps(workspaceId: string, definition: EntityDefinition, id: string, before?: Record<string, unknown>, after?: Record<string, unknown>): Step[];
  /** The client's error when the guard of `field` was taken (409 with the rule's code). */
  refusal(definition: EntityDefinition, field: string): DomainError;
}

export const uniques: Uniques = {
  steps(workspaceId, definition, id, before, after) {
    const held = new Map(before ? repository.guardsOf(definition, before).map((guard) => [guard.field, guard]) : []);
    const wanted = after ? repository.guardsOf(definition, after) : [];
    const steps: Step[] = [];
    for (const guard of wanted) {
      const old = held.get(guard.field);
      if (old?.value === guard.value) continue;
      // a value that changed: the old guard goes, the new one must be free
      if (old) steps.push({ item: repository.guardDelete(workspaceId, old.kind, old.value, id), cause: 'entity' });
      steps.push({ item: repository.guardPut(workspaceId, guard.kind, guard.value, definition.type, id), cause: `guard:${guard.field}` });
    }
    for (const old of held.values()) {
      if (!wanted.some((guard) => guard.field === old.field)) steps.push({ item: repository.guardDelete(workspaceId, old.kind, old.value, id), cause: 'entity' });
    }
    return steps;
  },
  refusal(definition, field) {
    const rule = definition.unique?.find((candidate) => candidate.field === field);
    const message = rule?.kind === shortCodeKind ? 'This short code is taken by another thing in this workspace.'
      : `Another ${definition.label} already has this ${field.replace(/_/g, ' ')}.`;
    return new DomainError(rule?.code ?? 'SHORT_CODE_TAKEN', message, { errors: [{ location: `body.${field}`, message: 'is taken' }] });
  },
};
