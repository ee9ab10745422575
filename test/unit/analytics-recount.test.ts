// The recount's decisions (shared/domain/analytics/recount.ts) when the two counts it makes see
// different things: the entities and the aggregates come from stand-ins here, so each case can put
// exactly one state before and one after the settle. The recount against the real table is in
// test/integration/analytics.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Aggregate } from '../../shared/domain/analytics/repository.js';

const state = vi.hoisted(() => ({
  /** what each count reads: the first call gets [0], the next ones [1] */
  items: [] as Record<string, unknown>[][],
  aggregates: [] as Aggregate[][],
  counts: 0,
  reads: 0,
  repairs: [] as { key: string; amounts: Record<string, number> }[],
}));

vi.mock('../../shared/domain/catalog/all.js', () => ({
  async *entitiesOf(_workspace: string, type: string) {
    if (type !== 'ITEM') return;
    yield state.items[Math.min(state.counts, state.items.length - 1)]!;
    state.counts += 1;
  },
}));
vi.mock('../../shared/domain/analytics/repository.js', () => ({
  async readAggregates() {
    const at = Math.min(state.reads, state.aggregates.length - 1);
    state.reads += 1;
    return state.aggregates[at];
  },
  async repair(_workspace: string, key: string, amounts: Record<string, number>) {
    state.repairs.push({ key, amounts });
    return true;
  },
}));

const { recountWorkspace } = await import('../../shared/domain/analytics/recount.js');

const item = (id: string, category?: string) => ({ entity: 'ITEM', id, workspace_id: 'w', name: id, is_archived: false, ...(category ? { category_id: category } : {}) });
const aggregate = (key: string, amounts: Record<string, number>, changes = 1): Aggregate => ({ key, amounts, labels: {}, changes });

beforeEach(() => {
  Object.assign(state, { items: [], aggregates: [], counts: 0, reads: 0, repairs: [] });
});

describe('analytics recount', () => {
  it('a difference gone at the second count was a change on its way: transient, not drift, not repaired', async () => {
    // first count: the item is already out of category c1, its aggregate not yet moved; then the feed catches up
    state.items = [[item('i1')]];
    state.aggregates = [
      [aggregate('TOTALS', { items: 1 }), aggregate('CAT#c1', { items: 1 })],
      [aggregate('TOTALS', { items: 1 }), aggregate('CAT#c1', { items: 0 }, 2), aggregate('CAT#-', { items: 1 })],
    ];
    const outcome = await recountWorkspace('w', { settleMs: 0 });
    expect(outcome).toMatchObject({ drift: [], transient: 2, repaired: 0, unsettled: 0 });
    expect(state.repairs).toEqual([]);
  });

  it('a difference both counts find on an aggregate that did not move is drift, reported and repaired', async () => {
    state.items = [[item('i1', 'c1'), item('i2', 'c1')]];
    state.aggregates = [[aggregate('TOTALS', { items: 2 }), aggregate('CAT#c1', { items: 1 })]];
    const outcome = await recountWorkspace('w', { settleMs: 0 });
    expect(outcome).toMatchObject({ drift: [{ aggregate: 'CAT#c1', field: 'items', stored: 1, counted: 2 }], transient: 0, repaired: 1, unsettled: 0 });
    expect(state.repairs).toEqual([{ key: 'CAT#c1', amounts: { items: 1 } }]);
  });

  it('a difference on an aggregate that took an update in between is reported and left to the next recount', async () => {
    state.items = [[item('i1', 'c1'), item('i2', 'c1')]];
    state.aggregates = [[aggregate('TOTALS', { items: 2 }), aggregate('CAT#c1', { items: 1 })], [aggregate('TOTALS', { items: 2 }), aggregate('CAT#c1', { items: 1 }, 3)]];
    const outcome = await recountWorkspace('w', { settleMs: 0 });
    expect(outcome).toMatchObject({ drift: [{ aggregate: 'CAT#c1', field: 'items', stored: 1, counted: 2 }], transient: 0, repaired: 0, unsettled: 1 });
    expect(state.repairs).toEqual([]);
  });

  it('with repair off it counts once and reports what it found', async () => {
    state.items = [[item('i1')]];
    state.aggregates = [[aggregate('TOTALS', { items: 1 }), aggregate('CAT#c1', { items: 1 })]];
    const outcome = await recountWorkspace('w', { repair: false });
    expect(outcome.drift).toHaveLength(2);
    expect(state.counts).toBe(1);
    expect(state.repairs).toEqual([]);
  });
});
