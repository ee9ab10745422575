// The analytics answers, made from the aggregates (model.ts) with one Query of the workspace's
// aggregates partition (its size follows categories, locations, borrowers and months, never
// items), plus what changes without a write: overdue loans are counted at read time from the open
// loans' due-date index (a loan becomes overdue at midnight UTC, when nothing is written), and the
// recent activity is the activity log's newest page.
import type { z } from 'zod/mini';
import * as keys from '../../db/keys.js';
import { queryPages } from '../../db/table.js';
import type { WorkspaceScope } from '../../http/caller.js';
import type * as contract from '../../contract/analytics.js';
import { listActivity } from '../activity/repository.js';
import { retainedSince } from '../activity/model.js';
import { todayUtc } from '../loans/model.js';
import { totalsKey } from './model.js';
import { readAggregate, readAggregates, readMonths, type Aggregate } from './repository.js';

type Out<S extends z.ZodMiniType> = z.infer<S>;
type Money = Record<string, number>;

/** The open loans due before today (UTC): a Query of the open-loans index up to today, counted (its cost follows the overdue loans). */
export async function overdueLoans(workspaceId: string, today = todayUtc()): Promise<number> {
  let count = 0;
  for await (const page of queryPages({
    IndexName: 'GSI1', Select: 'COUNT',
    KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :today',
    ExpressionAttributeValues: { ':pk': keys.openLoanIndex(workspaceId, undefined, '').GSI1PK, ':today': today },
  })) {
    count += page.Count ?? 0;
  }
  return count;
}

const figure = (aggregate: Aggregate | undefined, name: string) => aggregate?.amounts[name] ?? 0;

/** The amounts named `{prefix}{currency}` as a currency → cents map (zero ones left out). */
function money(aggregate: Aggregate | undefined, prefix: string): Money {
  return Object.fromEntries(Object.entries(aggregate?.amounts ?? {})
    .filter(([name, amount]) => name.startsWith(prefix) && amount !== 0).map(([name, amount]) => [name.slice(prefix.length), amount]));
}

/** The currency holding the most value in the workspace (the order of value lists); ties by code. */
function mainCurrency(totals: Aggregate | undefined): string | undefined {
  return Object.entries(money(totals, 'value#')).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]?.[0];
}

const idOf = (aggregate: Aggregate) => aggregate.key.slice(aggregate.key.indexOf('#') + 1);
const exists = (aggregate: Aggregate) => figure(aggregate, 'exists') > 0;
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Every aggregate of the workspace, by kind. */
interface Aggregates {
  totals: Aggregate | undefined;
  categories: Aggregate[];
  locations: Aggregate[];
  borrowers: Aggregate[];
  months: Aggregate[];
}

function grouped(all: Aggregate[]): Aggregates {
  const of = (prefix: string) => all.filter((aggregate) => aggregate.key.startsWith(prefix));
  return { totals: all.find((aggregate) => aggregate.key === totalsKey), categories: of('CAT#'), locations: of('LOC#'), borrowers: of('BOR#'), months: of('MONTH#') };
}

function dashboardOf(totals: Aggregate | undefined, overdue: number): Out<typeof contract.Dashboard> {
  return {
    total_items: figure(totals, 'items'), total_inventory: figure(totals, 'inventory'), total_locations: figure(totals, 'locations'),
    total_containers: figure(totals, 'containers'), active_loans: figure(totals, 'active_loans'), overdue_loans: overdue,
    low_stock_items: figure(totals, 'low_stock_items'), total_categories: figure(totals, 'categories'), total_borrowers: figure(totals, 'borrowers'),
    total_value: money(totals, 'value#'),
  };
}

const loanStatsOf = (totals: Aggregate | undefined, overdue: number): Out<typeof contract.LoanStats> => ({
  total_loans: figure(totals, 'loans'), active_loans: figure(totals, 'active_loans'), returned_loans: figure(totals, 'returned_loans'), overdue_loans: overdue,
});

function categoryStatsOf(categories: Aggregate[], limit: number): Out<typeof contract.CategoryStat>[] {
  return categories.filter(exists)
    .map((aggregate) => ({
      id: idOf(aggregate), name: aggregate.labels.name ?? '', item_count: figure(aggregate, 'items'),
      inventory_count: figure(aggregate, 'inventory_rows'), total_value: money(aggregate, 'price#'),
    }))
    .sort((a, b) => b.item_count - a.item_count || byName(a, b)).slice(0, limit);
}

/** Most value in the main currency first (then name): a location or category holding nothing in it sorts by name after those that do. */
const byValue = (currency: string | undefined) => (a: { name: string; total_value: Money }, b: { name: string; total_value: Money }) =>
  (currency ? (b.total_value[currency] ?? 0) - (a.total_value[currency] ?? 0) : 0) || byName(a, b);

function locationValuesOf(locations: Aggregate[], totals: Aggregate | undefined, limit: number): Out<typeof contract.LocationValue>[] {
  return locations.filter(exists)
    .map((aggregate) => ({
      id: idOf(aggregate), name: aggregate.labels.name ?? '', item_count: figure(aggregate, 'inventory_rows'),
      total_quantity: figure(aggregate, 'quantity'), total_value: money(aggregate, 'value#'),
    }))
    .sort(byValue(mainCurrency(totals))).slice(0, limit);
}

/** `{prefix}{value}` counts of the totals as `[{[label]: value, count}]`, most first. */
function breakdown<K extends string>(totals: Aggregate | undefined, prefix: string, label: K): ({ count: number } & Record<K, string>)[] {
  return Object.entries(totals?.amounts ?? {})
    .filter(([name, count]) => name.startsWith(prefix) && count > 0)
    .map(([name, count]) => ({ [label]: name.slice(prefix.length), count }) as { count: number } & Record<K, string>)
    .sort((a, b) => b.count - a.count || a[label].localeCompare(b[label]));
}

function borrowerStatsOf(borrowers: Aggregate[], limit: number): Out<typeof contract.BorrowerStat>[] {
  return borrowers.filter(exists)
    .map((aggregate) => ({
      id: idOf(aggregate), name: aggregate.labels.name ?? '', ...(aggregate.labels.email ? { email: aggregate.labels.email } : {}),
      total_loans: figure(aggregate, 'loans'), active_loans: figure(aggregate, 'active_loans'),
    }))
    .sort((a, b) => b.total_loans - a.total_loans || b.active_loans - a.active_loans || byName(a, b)).slice(0, limit);
}

/** The `count` calendar months (UTC) ending with this one, oldest first, as `YYYY-MM`. */
export function monthWindow(count: number, now = new Date()): string[] {
  return Array.from({ length: count }, (_, back) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - 1 - back), 1)).toISOString().slice(0, 7));
}

function monthlyOf(months: Aggregate[], window: string[]): Out<typeof contract.MonthlyLoans>[] {
  const byMonth = new Map(months.map((aggregate) => [aggregate.key.slice('MONTH#'.length), aggregate]));
  return window.map((month) => ({
    month: `${month}-01T00:00:00.000Z`, loans_created: figure(byMonth.get(month), 'loans_created'), loans_returned: figure(byMonth.get(month), 'loans_returned'),
  }));
}

async function recentActivity(workspaceId: string, limit: number): Promise<Out<typeof contract.ActivityEntry>[]> {
  const page = await listActivity(workspaceId, { limit, after: retainedSince() });
  return page.items.map((entry) => ({
    id: entry.id, ...(entry.user_id ? { user_id: entry.user_id } : {}), action: entry.action, entity_type: entry.entity_type,
    entity_id: entry.entity_id, ...(entry.entity_name ? { entity_name: entry.entity_name } : {}), created_at: entry.occurred_at,
  }));
}

// ---- the routes

export async function dashboard(scope: WorkspaceScope) {
  const id = scope.workspace.id;
  const [totals, overdue] = await Promise.all([readAggregate(id, totalsKey), overdueLoans(id)]);
  return dashboardOf(totals, overdue);
}

export async function loans(scope: WorkspaceScope) {
  const id = scope.workspace.id;
  const [totals, overdue] = await Promise.all([readAggregate(id, totalsKey), overdueLoans(id)]);
  return loanStatsOf(totals, overdue);
}

export const categories = async (scope: WorkspaceScope, limit: number) => categoryStatsOf(await readAggregates(scope.workspace.id, 'CAT#'), limit);

export async function locations(scope: WorkspaceScope, limit: number) {
  const [totals, all] = await Promise.all([readAggregate(scope.workspace.id, totalsKey), readAggregates(scope.workspace.id, 'LOC#')]);
  return locationValuesOf(all, totals, limit);
}

export const activity = (scope: WorkspaceScope, limit: number) => recentActivity(scope.workspace.id, limit);

export const conditions = async (scope: WorkspaceScope) => breakdown(await readAggregate(scope.workspace.id, totalsKey), 'condition#', 'condition');

export const statuses = async (scope: WorkspaceScope) => breakdown(await readAggregate(scope.workspace.id, totalsKey), 'status#', 'status');

export const borrowers = async (scope: WorkspaceScope, limit: number) => borrowerStatsOf(await readAggregates(scope.workspace.id, 'BOR#'), limit);

export async function monthlyLoans(scope: WorkspaceScope, count: number) {
  const window = monthWindow(count);
  return monthlyOf(await readMonths(scope.workspace.id, window[0]!, window.at(-1)!), window);
}

export async function summary(scope: WorkspaceScope): Promise<Out<typeof contract.Summary>> {
  const id = scope.workspace.id;
  const [all, overdue, activityPage] = await Promise.all([readAggregates(id), overdueLoans(id), recentActivity(id, 10)]);
  const { totals, categories: cats, locations: places, borrowers: people, months } = grouped(all);
  return {
    dashboard: dashboardOf(totals, overdue), loan_stats: loanStatsOf(totals, overdue), category_stats: categoryStatsOf(cats, 10),
    location_values: locationValuesOf(places, totals, 10), recent_activity: activityPage,
    condition_breakdown: breakdown(totals, 'condition#', 'condition'), status_breakdown: breakdown(totals, 'status#', 'status'),
    top_borrowers: borrowerStatsOf(people, 5), monthly_loan_activity: monthlyOf(months, monthWindow(12)),
  };
}

/** Items without a category are grouped under this name. */
export const uncategorised = 'Uncategorised';

export async function value(scope: WorkspaceScope): Promise<Out<typeof contract.ValueReport>> {
  const { totals, categories: cats, locations: places } = grouped(await readAggregates(scope.workspace.id));
  const order = byValue(mainCurrency(totals));
  const group = (aggregate: Aggregate, name: string, id?: string) => ({
    ...(id ? { id } : {}), name, inventory_count: figure(aggregate, 'inventory_rows'), total_quantity: figure(aggregate, 'quantity'), total_value: money(aggregate, 'value#'),
  });
  const none = cats.find((aggregate) => aggregate.key === 'CAT#-');
  return {
    total_value: money(totals, 'value#'),
    by_location: places.filter(exists).map((aggregate) => group(aggregate, aggregate.labels.name ?? '', idOf(aggregate))).sort(order),
    by_category: [
      ...cats.filter(exists).map((aggregate) => group(aggregate, aggregate.labels.name ?? '', idOf(aggregate))),
      ...(none && figure(none, 'inventory_rows') > 0 ? [group(none, uncategorised)] : []),
    ].sort(order),
    by_condition: breakdown(totals, 'condition#', 'condition').map(({ condition, count }) => ({
      condition, inventory_count: count, total_quantity: figure(totals, `condition_quantity#${condition}`), total_value: money(totals, `condition_value#${condition}#`),
    })),
  };
}
