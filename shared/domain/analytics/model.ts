// The workspace's aggregates, and what each stored entity contributes to them. DynamoDB has no
// GROUP BY, so the figures are kept as data changes: every entity, as stored, adds fixed amounts
// to named aggregates (`contributions`), and a change moves the difference between its image
// after and its image before (`difference`). Because an aggregate is by definition the sum of
// the contributions of what is stored now, the recount (recount.ts) is the same function summed
// over a workspace's entities: projector and recount cannot disagree about what a figure means.
//
// Aggregates live in `WS#{ws}#STATS` (shared/db/keys.ts): `TOTALS` (counts, condition and status
// breakdowns, value by condition), `CAT#{id}` (`CAT#-` for items without a category), `LOC#{id}`,
// `BOR#{id}`, `MONTH#{YYYY-MM}` (loans by the month they were lent). Every amount is a whole
// number; money is cents, per currency (`value#EUR`), never added across currencies.
import { isLow } from '../items/model.js';
import { noCurrency, rowValue } from '../inventory/model.js';
import { tallyPrefix } from '../catalog/model.js';

/** Amounts to add, by aggregate (its sort key) and attribute. */
export type Amounts = Map<string, Record<string, number>>;
/** Attributes an entity sets on its own aggregate (a category's name on `CAT#{id}`). */
export type Labels = Map<string, Record<string, string>>;

export const totalsKey = 'TOTALS';
export const categoryKey = (id: string | undefined) => `CAT#${id ?? '-'}`;
export const locationKey = (id: string) => `LOC#${id}`;
export const borrowerKey = (id: string) => `BOR#${id}`;
export const monthKey = (month: string) => `MONTH#${month}`;

/** The entity types whose records contribute (what the projector wants and the recount reads). */
export const countedTypes = ['ITEM', 'INVENTORY', 'LOCATION', 'CONTAINER', 'CATEGORY', 'BORROWER', 'LOAN'] as const;

type Image = Record<string, unknown>;

const active = (image: Image) => image.is_archived !== true;
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function add(into: Amounts, key: string, amounts: Record<string, number>): void {
  const sums = into.get(key) ?? {};
  for (const [name, amount] of Object.entries(amounts)) if (amount !== 0) sums[name] = (sums[name] ?? 0) + amount;
  into.set(key, sums);
}

/** What one stored entity adds to the aggregates (nothing for types that are not counted). */
export function contributions(image: Image | undefined): Amounts {
  const amounts: Amounts = new Map();
  if (!image) return amounts;
  switch (image.entity) {
    case 'ITEM': {
      if (!active(image)) break;
      add(amounts, totalsKey, { items: 1, low_stock_items: isLow(image) ? 1 : 0 });
      // what its active rows hold, as the rows added it up on the item (inventory/model.ts rowTallies)
      const held: Record<string, number> = { items: 1, inventory_rows: Number(image['tally#rows'] ?? 0), quantity: Number(image.total_quantity ?? 0) };
      for (const [name, amount] of Object.entries(image)) {
        const match = name.startsWith(tallyPrefix) ? /^tally#(price|value)#(.+)$/.exec(name) : null;
        if (match) held[`${match[1]}#${match[2]}`] = Number(amount);
      }
      add(amounts, categoryKey(text(image.category_id)), held);
      break;
    }
    case 'INVENTORY': {
      if (!active(image)) break;
      const quantity = Number(image.quantity ?? 0);
      const currency = text(image.currency_code) ?? noCurrency;
      const worth = rowValue(image);
      const value = worth === undefined ? {} : { [`value#${currency}`]: worth };
      const condition = text(image.condition);
      const status = text(image.status);
      add(amounts, totalsKey, {
        inventory: 1,
        ...(condition ? { [`condition#${condition}`]: 1, [`condition_quantity#${condition}`]: quantity } : {}),
        ...(status ? { [`status#${status}`]: 1 } : {}),
        ...(condition && value[`value#${currency}`] !== undefined ? { [`condition_value#${condition}#${currency}`]: value[`value#${currency}`]! } : {}),
        ...Object.fromEntries(Object.entries(value)),
      });
      add(amounts, locationKey(String(image.location_id)), { inventory_rows: 1, quantity, ...value });
      break;
    }
    case 'LOCATION':
      if (active(image)) {
        add(amounts, totalsKey, { locations: 1 });
        add(amounts, locationKey(String(image.id)), { exists: 1 });
      }
      break;
    case 'CONTAINER':
      if (active(image)) add(amounts, totalsKey, { containers: 1 });
      break;
    case 'CATEGORY':
      if (active(image)) {
        add(amounts, totalsKey, { categories: 1 });
        add(amounts, categoryKey(String(image.id)), { exists: 1 });
      }
      break;
    case 'BORROWER':
      if (active(image)) {
        add(amounts, totalsKey, { borrowers: 1 });
        add(amounts, borrowerKey(String(image.id)), { exists: 1 });
      }
      break;
    case 'LOAN': {
      // a returned loan is stored archived (loans/model.ts); loans are never deleted
      const open = active(image) ? 1 : 0;
      add(amounts, totalsKey, { loans: 1, active_loans: open, returned_loans: 1 - open });
      add(amounts, borrowerKey(String(image.borrower_id)), { loans: 1, active_loans: open });
      const month = text(image.loaned_at)?.slice(0, 7);
      if (month) add(amounts, monthKey(month), { loans_created: 1, loans_returned: 1 - open });
      break;
    }
    default:
      break;
  }
  return amounts;
}

/** What going from `before` to `after` moves (after minus before), without the aggregates it leaves unchanged. */
export function difference(before: Image | undefined, after: Image | undefined): Amounts {
  const moved: Amounts = new Map();
  for (const [key, amounts] of contributions(after)) add(moved, key, amounts);
  for (const [key, amounts] of contributions(before)) add(moved, key, Object.fromEntries(Object.entries(amounts).map(([name, amount]) => [name, -amount])));
  for (const [key, amounts] of moved) {
    for (const [name, amount] of Object.entries(amounts)) if (amount === 0) delete amounts[name];
    if (Object.keys(amounts).length === 0) moved.delete(key);
  }
  return moved;
}

/** The names an entity shows on its own aggregate (set from its latest image, whatever its state). */
export function labels(image: Image | undefined): Labels {
  const shown: Labels = new Map();
  if (!image || typeof image.id !== 'string') return shown;
  const name = String(image.name ?? '');
  if (image.entity === 'CATEGORY') shown.set(categoryKey(image.id), { name });
  if (image.entity === 'LOCATION') shown.set(locationKey(image.id), { name });
  // an email taken away is stored empty (a SET cannot remove), and answered as absent
  if (image.entity === 'BORROWER') shown.set(borrowerKey(image.id), { name, email: text(image.email) ?? '' });
  return shown;
}

/** Labels that changed between two images (a rename), so an unrelated change writes none. */
export function changedLabels(before: Image | undefined, after: Image | undefined): Labels {
  const was = labels(before);
  const changed: Labels = new Map();
  for (const [key, values] of labels(after)) {
    if (JSON.stringify(was.get(key)) !== JSON.stringify(values)) changed.set(key, values);
  }
  return changed;
}
