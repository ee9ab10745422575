// Which writes move which collection's version (README, "Caching"): an entity's own Put, Update or
// Delete moves its type's; a touch of a link target moves the target's only when it changes what
// the target's answers show (its sums, an update of its own), never for counting what links to it.
// And how the bump joins the transaction's one item of the workspace record.
import { describe, expect, it } from 'vitest';
import { changedCollections, changeSteps, createSteps, newRecord, together } from '../../shared/domain/catalog/writes.js';
import { workspaceActive } from '../../shared/domain/catalog/repository.js';
import { items } from '../../shared/domain/items/service.js';
import { inventory } from '../../shared/domain/inventory/service.js';
import { loans } from '../../shared/domain/loans/service.js';
import { storageChange } from '../../shared/domain/attachments/service.js';
import { withCollectionBump } from '../../shared/domain/workspaces/collections.js';

const ws = '0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa';
const actor = '0193a5e2-7c1a-7b3e-9f00-bbbbbbbbbbbb';
const id = (n: number) => `0193a5e2-7c1a-7b3e-9f00-${String(n).padStart(12, '0')}`;
const workspaceKey = { PK: `WS#${ws}`, SK: 'WS' };

/** The types each step says it changes, by the item it writes (`PK|SK`). */
const changesByKey = (steps: Awaited<ReturnType<typeof together>>) => Object.fromEntries(steps.map((step) => {
  const key = (step.item.Put?.Item ?? step.item.Update?.Key ?? step.item.Delete?.Key ?? step.item.ConditionCheck?.Key)!;
  return [`${String(key.SK).split('#')[0]}`, step.changes];
}));

describe('the collections a write changes', () => {
  it('an item made in a category: the items, not the category (its counter of items shows nowhere)', async () => {
    const record = newRecord(items, ws, actor, { name: 'Drill', category_id: id(1), sku: 'SKU-1', short_code: 'ABCDEFGH' });
    const steps = together(items, await createSteps(items, ws, record));
    expect(changesByKey(steps)).toMatchObject({ ITEM: 'ITEM', CATEGORY: undefined });
    expect(changedCollections(steps)).toEqual(['ITEM']);
  });

  it('an inventory row made or its quantity changed: the rows and the item whose total it moves, not the location', async () => {
    const row = newRecord(inventory, ws, actor, { item_id: id(1), location_id: id(2), quantity: 3, condition: 'GOOD', status: 'AVAILABLE' });
    const made = together(inventory, await createSteps(inventory, ws, row));
    expect(changedCollections(made).sort()).toEqual(['INVENTORY', 'ITEM']);
    expect(changesByKey(made).LOCATION).toBeUndefined();

    const more = { ...row, quantity: 5, version: 2 };
    const changed = together(inventory, await changeSteps(inventory, ws, row, more));
    expect(changedCollections(changed).sort()).toEqual(['INVENTORY', 'ITEM']);
    const renoted = together(inventory, await changeSteps(inventory, ws, row, { ...row, notes: 'boxed', version: 2 }));
    expect(changedCollections(renoted)).toEqual(['INVENTORY']);
  });

  it('a loan: the loans, the row (what is available) and the borrower (what they hold, counted conservatively)', async () => {
    const loan = newRecord(loans, ws, actor, { inventory_id: id(3), borrower_id: id(4), item_id: id(1), quantity: 1, loaned_at: '2026-01-01T00:00:00.000Z' });
    expect(changedCollections(together(loans, await createSteps(loans, ws, loan))).sort()).toEqual(['BORROWER', 'INVENTORY', 'LOAN']);
  });
});

describe('the version bump in the transaction', () => {
  const put = { Put: { TableName: 't', Item: { PK: `WS#${ws}`, SK: `CATEGORY#${id(1)}` } } };

  it('adds an Update of the workspace record, conditional on it existing, when the transaction has none', () => {
    const { items: written, at } = withCollectionBump([put], ws, ['CATEGORY', 'ITEM'], '2026-01-01T00:00:00.000Z');
    expect(at).toBe(1);
    const update = written[1]!.Update!;
    expect(update.Key).toEqual(workspaceKey);
    expect(update.ConditionExpression).toBe('attribute_exists(PK)');
    expect(update.UpdateExpression).toBe('SET #cv0 = if_not_exists(#cv0, :cvZero) + :cvOne, #cvt0 = :cvNow, #cv1 = if_not_exists(#cv1, :cvZero) + :cvOne, #cvt1 = :cvNow');
    expect(update.ExpressionAttributeNames).toEqual({ '#cv0': 'cv_CATEGORY', '#cvt0': 'cvt_CATEGORY', '#cv1': 'cv_ITEM', '#cvt1': 'cvt_ITEM' });
    expect(update.ExpressionAttributeValues).toMatchObject({ ':cvNow': '2026-01-01T00:00:00.000Z' });
  });

  it('turns a create\'s check that the workspace is active into the Update, under the same condition (one item per key)', () => {
    const { items: written, at } = withCollectionBump([put, workspaceActive(ws)], ws, ['CATEGORY']);
    expect(written).toHaveLength(2);
    expect(at).toBe(1);
    expect(written[1]!.ConditionCheck).toBeUndefined();
    expect(written[1]!.Update).toMatchObject({ Key: workspaceKey, ConditionExpression: '#status = :active', UpdateExpression: expect.stringMatching(/^SET #cv0 = /) });
    expect(written[1]!.Update!.ExpressionAttributeValues).toMatchObject({ ':active': 'active', ':cvOne': 1 });
  });

  it('joins an attachment\'s storage change of the workspace record', () => {
    const storage = storageChange(ws, 100);
    const { items: written } = withCollectionBump([storage], ws, ['ATTACHMENT']);
    expect(written).toHaveLength(1);
    expect(written[0]!.Update!.UpdateExpression).toBe(`${storage.Update!.UpdateExpression} SET #cv0 = if_not_exists(#cv0, :cvZero) + :cvOne, #cvt0 = :cvNow`);
    expect(written[0]!.Update!.ConditionExpression).toBe(storage.Update!.ConditionExpression);
  });

  it('leaves a transaction that changes no collection as it is', () => {
    expect(withCollectionBump([put, workspaceActive(ws)], ws, [])).toEqual({ items: [put, workspaceActive(ws)] });
  });
});
