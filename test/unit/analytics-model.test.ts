// What each stored entity adds to the analytics aggregates, and what a change moves
// (shared/domain/analytics/model.ts): the rules the projector and the recount share.
import { describe, expect, it } from 'vitest';
import { changedLabels, contributions, difference } from '../../shared/domain/analytics/model.js';
import { monthWindow } from '../../shared/domain/analytics/service.js';
import { rowTallies } from '../../shared/domain/inventory/model.js';

const row = (fields: Record<string, unknown>) => ({ entity: 'INVENTORY', id: 'r1', workspace_id: 'w', item_id: 'i1', location_id: 'l1', quantity: 2, condition: 'GOOD', status: 'AVAILABLE', is_archived: false, ...fields });
const item = (fields: Record<string, unknown>) => ({ entity: 'ITEM', id: 'i1', workspace_id: 'w', name: 'Drill', category_id: 'c1', is_archived: false, ...fields });
const asObject = (amounts: Map<string, Record<string, number>>) => Object.fromEntries(amounts);

describe('analytics contributions', () => {
  it('an inventory row counts in the totals, its location, its condition and status, with its value per currency', () => {
    expect(asObject(contributions(row({ purchase_price: 1000, currency_code: 'EUR' })))).toEqual({
      TOTALS: { inventory: 1, 'condition#GOOD': 1, 'condition_quantity#GOOD': 2, 'status#AVAILABLE': 1, 'condition_value#GOOD#EUR': 2000, 'value#EUR': 2000 },
      'LOC#l1': { inventory_rows: 1, quantity: 2, 'value#EUR': 2000 },
    });
    // a price without a currency counts under XXX; an archived row counts nowhere
    expect(asObject(contributions(row({ purchase_price: 5 })))['LOC#l1']).toEqual({ inventory_rows: 1, quantity: 2, 'value#XXX': 10 });
    expect(contributions(row({ is_archived: true })).size).toBe(0);
  });

  it('an item counts in its category with what its rows tallied on it; without a category under CAT#-', () => {
    const tallied = { ...rowTallies(row({ purchase_price: 1000, currency_code: 'EUR' })), total_quantity: 2 };
    expect(asObject(contributions(item(tallied)))).toEqual({
      TOTALS: { items: 1 },
      'CAT#c1': { items: 1, inventory_rows: 1, quantity: 2, 'price#EUR': 1000, 'value#EUR': 2000 },
    });
    expect([...contributions(item({ category_id: undefined })).keys()]).toEqual(['TOTALS', 'CAT#-']);
    expect(asObject(contributions(item({ min_stock_level: 3, total_quantity: 1 }))).TOTALS).toEqual({ items: 1, low_stock_items: 1 });
  });

  it('a change moves only the difference, between the right aggregates', () => {
    const tallied = { 'tally#rows': 1, 'tally#price#EUR': 1000, 'tally#value#EUR': 2000, total_quantity: 2 };
    // a category change moves the item and what its rows hold from one category to the other, and nothing else
    expect(asObject(difference(item(tallied), item({ ...tallied, category_id: 'c2' })))).toEqual({
      'CAT#c1': { items: -1, inventory_rows: -1, quantity: -2, 'price#EUR': -1000, 'value#EUR': -2000 },
      'CAT#c2': { items: 1, inventory_rows: 1, quantity: 2, 'price#EUR': 1000, 'value#EUR': 2000 },
    });
    // a description change moves nothing
    expect(difference(item({ description: 'a' }), item({ description: 'b' })).size).toBe(0);
    // a currency change moves value from one currency to the other
    expect(asObject(difference(row({ purchase_price: 100, currency_code: 'EUR' }), row({ purchase_price: 100, currency_code: 'USD' })))['LOC#l1'])
      .toEqual({ 'value#EUR': -200, 'value#USD': 200 });
    // a delete takes everything away
    expect(asObject(difference(row({}), undefined))).toEqual({
      TOTALS: { inventory: -1, 'condition#GOOD': -1, 'condition_quantity#GOOD': -2, 'status#AVAILABLE': -1 },
      'LOC#l1': { inventory_rows: -1, quantity: -2 },
    });
  });

  it('a loan counts for its borrower and the month it was lent; its return moves it from open to returned', () => {
    const loan = { entity: 'LOAN', id: 'o1', workspace_id: 'w', borrower_id: 'b1', loaned_at: '2026-10-05T10:00:00.000Z', is_archived: false };
    expect(asObject(difference(loan, { ...loan, is_archived: true, returned_at: '2026-12-01T00:00:00.000Z' }))).toEqual({
      TOTALS: { active_loans: -1, returned_loans: 1 },
      'BOR#b1': { active_loans: -1 },
      'MONTH#2026-10': { loans_returned: 1 },
    });
  });

  it('names are set on their own aggregate only when they change', () => {
    const category = { entity: 'CATEGORY', id: 'c1', name: 'Tools' };
    expect(changedLabels(category, { ...category, description: 'x' }).size).toBe(0);
    expect(Object.fromEntries(changedLabels(category, { ...category, name: 'Power tools' }))).toEqual({ 'CAT#c1': { name: 'Power tools' } });
    // an email taken away is stored empty
    expect(Object.fromEntries(changedLabels({ entity: 'BORROWER', id: 'b1', name: 'Ada', email: 'a@x' }, { entity: 'BORROWER', id: 'b1', name: 'Ada' })))
      .toEqual({ 'BOR#b1': { name: 'Ada', email: '' } });
  });

  it('the monthly window is the months ending with this one, oldest first, across a year boundary', () => {
    expect(monthWindow(3, new Date('2026-02-15T00:00:00Z'))).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});
