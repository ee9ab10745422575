// An inventory row: how many of an item sit at one location (and maybe in one container there),
// in what condition and status. Rows are archived, never deleted. Each row adds its quantity to
// its item's `total_quantity` while active, in the same transaction as the change, so an item's
// total (and whether it is low on stock) is one read. A row in a container must be at the
// container's location. Loans (a later issue) keep `on_loan`; what is left is `available_quantity`.
import { defineEntity } from '../catalog/model.js';
import { allOf, fixedWhile, floors } from '../catalog/change-rules.js';

/** Where a row is: what a move changes, and what a movement records on both sides. */
export const placeFields = ['location_id', 'container_id'] as const;

/**
 * Its quantity never below what is out on loan, and it is not archived while some is out (what is
 * lent comes back to a row someone can see). Given to its entity by the service (change-rules.ts).
 */
export const inventoryChangeRules = () => allOf(
  floors([{ field: 'quantity', atLeast: 'on_loan', code: 'QUANTITY_BELOW_ON_LOAN', message: 'Part of this row is out on loan: its quantity cannot go below that.' }]),
  fixedWhile([{ field: 'is_archived', counter: 'on_loan', code: 'INVENTORY_HAS_ACTIVE_LOANS', message: 'Part of this row is out on loan: return it before archiving the row.' }]),
);

/** Money without a currency is counted under ISO 4217's code for "no currency". */
export const noCurrency = 'XXX';

/**
 * The largest value (price × quantity, in cents) a row adds to value figures: 10^13 cents, 100
 * billion in its currency. Prices and quantities may each be large; their product may not leave
 * JavaScript's safe integers (2^53 ≈ 9·10^15), or the item holding the tally could not be read
 * back, and 900 rows at this ceiling still add up safely. A row worth more is counted without value.
 */
export const maxRowValue = 10 ** 13;

/** What a row is worth (price × quantity), when it has a price and the product stays within `maxRowValue`. */
export function rowValue(row: Record<string, unknown>): number | undefined {
  if (typeof row.purchase_price !== 'number') return undefined;
  const value = row.purchase_price * Number(row.quantity ?? 0);
  return value <= maxRowValue ? value : undefined;
}

/**
 * What an active row adds up on its item (LinkRule `tallies`), so the item's own images say what
 * its rows hold: `tally#rows` (active rows), and per currency `tally#price#EUR` (the rows' prices)
 * and `tally#value#EUR` (price × quantity). The analytics projector moves these between categories.
 */
export function rowTallies(row: Record<string, unknown>): Record<string, number> {
  const price = row.purchase_price;
  if (typeof price !== 'number') return { 'tally#rows': 1 };
  const currency = typeof row.currency_code === 'string' ? row.currency_code : noCurrency;
  const value = rowValue(row);
  return { 'tally#rows': 1, [`tally#price#${currency}`]: price, ...(value === undefined ? {} : { [`tally#value#${currency}`]: value }) };
}

export const inventoryDefinition = defineEntity({
  type: 'INVENTORY', label: 'inventory row', deletes: 'never', byName: false,
  fields: ['item_id', 'location_id', 'container_id', 'quantity', 'condition', 'status', 'date_acquired', 'purchase_price', 'currency_code',
    'warranty_expires', 'expiration_date', 'notes'],
  optional: ['container_id', 'date_acquired', 'purchase_price', 'currency_code', 'warranty_expires', 'expiration_date', 'notes'],
  links: [
    { field: 'item_id', to: 'ITEM', counter: 'inventory_rows', order: 'newest', sums: [{ from: 'quantity', into: 'total_quantity' }], tallies: rowTallies },
    { field: 'location_id', to: 'LOCATION', counter: 'inventory', index: 'GSI3', order: 'newest' },
    {
      field: 'container_id', to: 'CONTAINER', counter: 'inventory', index: 'GSI4', order: 'newest',
      agree: { field: 'location_id', code: 'CONTAINER_NOT_AT_LOCATION', message: 'The container is not at this location.' },
    },
  ],
  hidden: ['on_loan', 'last_movement_id'],
  nameFrom: { field: 'item_id', type: 'ITEM' },
  view: (row) => ({ available_quantity: Math.max(0, Number(row.quantity ?? 0) - Number(row.on_loan ?? 0)) }),
});
