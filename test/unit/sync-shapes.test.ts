// Delta sync's Lambda answers with a loose schema (shared/contract/sync.ts: the exact one would add
// ~10 KB to its bundle), so nothing strips what the entities carry: the server's own shaping
// (publicView: no keys, bookkeeping, counters or hidden attributes) must already give exactly the
// attributes of each entity's contract schema. For every synced type, a record holding every
// attribute its writers store must come out with no attribute its schema lacks.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { syncDelta, syncedTypes } from '../../shared/contract/sync.js';
import { definitionOf, publicView } from '../../shared/domain/catalog/registry.js';
import { returnFacts } from '../../shared/domain/loans/service.js';

/** What writers store besides the declared fields, per type (counters and sums come from the registry's links). */
const storedBesides: Record<string, Record<string, unknown>> = {
  ITEM: { label_ids: new Set(['l']), primary_attachment_id: 'a', primary_picture: true },
  INVENTORY: { last_movement_id: 'm' },
  LOAN: { ...returnFacts({ loaned_at: '2026-11-01T00:00:00.000Z', due_date: '2026-11-10' }, new Date('2026-11-20T00:00:00.000Z')), returned_at: '2026-11-20T00:00:00.000Z' },
  ATTACHMENT: { status: 'READY', rejection_reason: 'r', object_key: 'k', object_version: 'v', object_etag: 'e' },
};

const bookkeeping = {
  id: 'i', workspace_id: 'w', is_archived: false, created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z', version: 1,
  created_by: 'u', updated_by: 'u', entity: 'X', PK: 'p', SK: 's', GSI1PK: 'g', GSI1SK: 'g', ttl: 1,
};

describe('synced entities as the sync route shapes them', () => {
  const exact = (syncDelta.response as unknown as z.ZodMiniObject).shape as Record<string, z.ZodMiniArray<z.ZodMiniObject>>;

  it.each(Object.entries(syncedTypes))('%s: only attributes of its contract schema', (name, key) => {
    const type = name.toUpperCase();
    const definition = definitionOf(type)!;
    const record = {
      ...bookkeeping, ...(definition.byName === false ? {} : { name: 'n' }),
      ...Object.fromEntries(definition.fields.map((field) => [field, 'x'])),
      ...Object.fromEntries((definition.hidden ?? []).map((field) => [field, 1])),
      ...storedBesides[type],
    };
    // every counter or sum any other type keeps on this one
    for (const other of Object.keys(syncedTypes)) {
      for (const link of definitionOf(other.toUpperCase())!.links ?? []) {
        if (link.to !== type) continue;
        Object.assign(record, { [link.counter]: 1 }, ...(link.sums ?? []).map((sum) => ({ [sum.into]: 1 })));
      }
    }
    const schemaKeys = Object.keys(exact[key]!.def.element.shape);
    const shaped = Object.keys(publicView(definition, record));
    expect(shaped.filter((attribute) => !schemaKeys.includes(attribute))).toEqual([]);
  });
});
