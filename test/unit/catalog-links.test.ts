// Every link of a catalog entity stays true: its target either cannot be deleted while something
// links to it (a delete rule on the link's counter), is never hard-deleted (items, inventory,
// borrowers archive), or is cleared on everything linking to it when it goes (the change feed's
// link-cleanup projector). A new link that does none of these would leave references to nothing.
import { describe, expect, it } from 'vitest';
import { catalogDefinitions, definitionOf } from '../../shared/domain/catalog/registry.js';
import { clearedLinks } from '../../functions/streams/projectors/link-cleanup.js';

describe('catalog links', () => {
  const links = catalogDefinitions.flatMap((definition) => (definition.links ?? []).map((link) => ({ definition, link })));

  it('has links to check', () => {
    expect(links.length).toBeGreaterThan(5);
  });

  it.each(links.map(({ definition, link }) => [`${definition.type}.${link.field} → ${link.to}`, definition, link] as const))('%s never points at nothing', (_name, definition, link) => {
    const target = definitionOf(link.to);
    expect(target, `${link.to} is a catalog entity`).toBeDefined();
    const guarded = (target!.deleteRules ?? []).some((rule) => rule.counter === link.counter);
    const neverDeleted = target!.deletes === 'never' || target!.deletes === 'archive';
    const cleared = clearedLinks.some((entry) => entry.definition === definition && entry.link === link);
    expect(guarded || neverDeleted || cleared, `deleting a ${link.to} would leave ${definition.type}.${link.field} dangling`).toBe(true);
  });

  it('clears only optional links found through an index', () => {
    for (const { definition, link } of clearedLinks) {
      expect(definition.optional).toContain(link.field);
      expect(link.index ?? (definition.links?.[0] === link ? 'GSI2' : undefined)).toBeDefined();
    }
    expect(clearedLinks.map(({ definition, link }) => `${definition.type}.${link.field}`).sort()).toEqual(['ITEM.category_id', 'ITEM.purchased_from']);
  });
});
