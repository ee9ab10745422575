// Analytics: the dashboard's figures, read from aggregates the change feed keeps exact
// (shared/domain/analytics), never by reading the workspace's items. Shapes follow the earlier
// API (GO_API_REFERENCE.md §4.18) with two changes: money is a map of ISO 4217 currency → cents
// (several currencies are never added together), and `monthly_loan_activity` is filled.
import * as z from 'zod/mini';
import { example, IdOut, IntOut, named, queryInteger, TimestampOut, WorkspaceParams } from './common.js';
import { activityActions, activityEntityTypes } from './activity.js';
import { document, route } from './route.js';

const Money = /* @__PURE__ */ named('MoneyByCurrency', z.record(z.string(), IntOut),
  'Amounts in cents, by ISO 4217 currency code (`XXX`: prices given without a currency). Currencies are never added together.');
DOCS: example(Money, { EUR: 129_900, USD: 4_500 });

export const Dashboard = /* @__PURE__ */ named('AnalyticsDashboard', z.object({
  total_items: IntOut, total_inventory: IntOut, total_locations: IntOut, total_containers: IntOut, active_loans: IntOut, overdue_loans: IntOut,
  low_stock_items: IntOut, total_categories: IntOut, total_borrowers: IntOut,
  /** price × quantity of every active inventory row, per currency */
  total_value: Money,
}), 'Counts of what is not archived: items, inventory rows (not quantities), places, loans open and overdue (due before today, UTC), items below their minimum stock; and the value of the inventory (price × quantity) per currency.');
const dashboardExample = {
  total_items: 412, total_inventory: 530, total_locations: 14, total_containers: 37, active_loans: 6, overdue_loans: 1, low_stock_items: 3,
  total_categories: 22, total_borrowers: 9, total_value: { EUR: 1_843_250 },
};
DOCS: example(Dashboard, dashboardExample);

export const CategoryStat = /* @__PURE__ */ named('AnalyticsCategory', z.object({
  id: IdOut, name: z.string(), item_count: IntOut, inventory_count: IntOut,
  /** the sum of the purchase prices of the inventory rows (not × quantity), per currency */
  total_value: Money,
}), 'One category: its active items, their active inventory rows, and the sum of those rows\' purchase prices per currency (not multiplied by quantity, as the earlier API).');
const categoryExample = { id: '0193a5e2-7c1a-7b3e-9f00-000000000c01', name: 'Power tools', item_count: 18, inventory_count: 21, total_value: { EUR: 214_900 } };
DOCS: example(CategoryStat, categoryExample);

export const LoanStats = /* @__PURE__ */ named('AnalyticsLoans', z.object({
  total_loans: IntOut, active_loans: IntOut, returned_loans: IntOut, overdue_loans: IntOut,
}), 'Every loan ever made, the open ones, the returned ones, and the open ones due before today (UTC).');
const loansExample = { total_loans: 57, active_loans: 6, returned_loans: 51, overdue_loans: 1 };
DOCS: example(LoanStats, loansExample);

export const LocationValue = /* @__PURE__ */ named('AnalyticsLocation', z.object({
  id: IdOut, name: z.string(), item_count: IntOut, total_quantity: IntOut, total_value: Money,
}), 'One location: its active inventory rows (`item_count`, as the earlier API), their quantities, and their value (price × quantity) per currency.');
const locationExample = { id: '0193a5e2-7c1a-7b3e-9f00-000000000a02', name: 'Garage', item_count: 64, total_quantity: 212, total_value: { EUR: 612_400 } };
DOCS: example(LocationValue, locationExample);

export const ActivityEntry = /* @__PURE__ */ named('AnalyticsActivity', z.object({
  id: IdOut, user_id: z.optional(IdOut), action: z.enum(activityActions), entity_type: z.enum(activityEntityTypes), entity_id: IdOut,
  entity_name: z.optional(z.string()), created_at: TimestampOut,
}), 'Something someone did, as the activity log records it.');
const activityExample = {
  id: '0193a5e2-7c1a-7b3e-9f00-000000000123', user_id: '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b', action: 'UPDATE' as const, entity_type: 'ITEM' as const,
  entity_id: '0193a5e2-7c1a-7b3e-9f00-000000001001', entity_name: 'Cordless drill', created_at: '2026-11-26T09:00:00.000Z',
};
DOCS: example(ActivityEntry, activityExample);

export const ConditionCount = /* @__PURE__ */ named('AnalyticsCondition', z.object({ condition: z.string(), count: IntOut }), 'Active inventory rows in one condition.');
export const StatusCount = /* @__PURE__ */ named('AnalyticsStatus', z.object({ status: z.string(), count: IntOut }), 'Active inventory rows in one status.');

export const BorrowerStat = /* @__PURE__ */ named('AnalyticsBorrower', z.object({
  id: IdOut, name: z.string(), email: z.optional(z.string()), total_loans: IntOut, active_loans: IntOut,
}), 'One active borrower: every loan they had and the ones still open.');
const borrowerExample = { id: '0193a5e2-7c1a-7b3e-9f00-00000000b001', name: 'Grace Hopper', email: 'grace@example.com', total_loans: 7, active_loans: 1 };
DOCS: example(BorrowerStat, borrowerExample);

export const MonthlyLoans = /* @__PURE__ */ named('AnalyticsMonth', z.object({
  month: TimestampOut, loans_created: IntOut, loans_returned: IntOut,
}), 'One calendar month (UTC; `month` is its first instant): the loans lent in it, and how many of those have been returned since.');
const monthExample = { month: '2026-11-01T00:00:00.000Z', loans_created: 5, loans_returned: 3 };
DOCS: example(MonthlyLoans, monthExample);

export const Summary = /* @__PURE__ */ named('AnalyticsSummary', z.object({
  dashboard: Dashboard, loan_stats: LoanStats, category_stats: z.array(CategoryStat), location_values: z.array(LocationValue),
  recent_activity: z.array(ActivityEntry), condition_breakdown: z.array(ConditionCount), status_breakdown: z.array(StatusCount),
  top_borrowers: z.array(BorrowerStat), monthly_loan_activity: z.array(MonthlyLoans),
}), 'Everything a dashboard shows in one answer: the top 10 categories and locations, the 10 latest activities, the top 5 borrowers and the last 12 months of loans.');

const ValueGroup = /* @__PURE__ */ named('AnalyticsValueGroup', z.object({
  /** the location's or category's id; absent for items without a category */
  id: z.optional(IdOut),
  name: z.string(),
  inventory_count: IntOut,
  total_quantity: IntOut,
  total_value: Money,
}), 'A location or category: its active inventory rows, their quantity and their value (price × quantity) per currency.');

export const ValueReport = /* @__PURE__ */ named('AnalyticsValue', z.object({
  total_value: Money,
  by_location: z.array(ValueGroup),
  by_category: z.array(ValueGroup),
  by_condition: z.array(z.object({ condition: z.string(), inventory_count: IntOut, total_quantity: IntOut, total_value: Money })),
}), 'What the inventory is worth (price × quantity of every active row), in total and by location, category and condition, per currency: for an insurer. Groups are ordered by their value in the workspace\'s main currency (the one holding the most value), then by name.');

/** An analytics read: viewers may call it. */
const analytics = <R extends z.ZodMiniType, Q extends z.ZodMiniObject = z.ZodMiniObject<{}>>(id: string, path: string, summary: string, response: R, query?: Q) =>
  route({
    id, method: 'GET', path: `/workspaces/{workspace_id}/analytics${path}`, domain: 'analytics', access: 'viewer', summary,
    params: WorkspaceParams, query: (query ?? z.object({})) as Q, response, status: 200,
  });

const limitQuery = (max: number) => z.object({ limit: queryInteger(1, max, 10) });

export const getAnalyticsDashboard = /* @__PURE__ */ analytics('getAnalyticsDashboard', '/dashboard', 'The dashboard\'s counts', Dashboard);
export const getAnalyticsCategories = /* @__PURE__ */ analytics('getAnalyticsCategories', '/categories', 'Categories with the most items', z.array(CategoryStat), limitQuery(50));
export const getAnalyticsLoans = /* @__PURE__ */ analytics('getAnalyticsLoans', '/loans', 'Loans: all, open, returned, overdue', LoanStats);
export const getAnalyticsLocations = /* @__PURE__ */ analytics('getAnalyticsLocations', '/locations', 'Locations holding the most value', z.array(LocationValue), limitQuery(50));
export const getAnalyticsActivity = /* @__PURE__ */ analytics('getAnalyticsActivity', '/activity', 'The latest activity, newest first', z.array(ActivityEntry), limitQuery(100));
export const getAnalyticsConditions = /* @__PURE__ */ analytics('getAnalyticsConditions', '/conditions', 'Inventory rows by condition, most first', z.array(ConditionCount));
export const getAnalyticsStatuses = /* @__PURE__ */ analytics('getAnalyticsStatuses', '/statuses', 'Inventory rows by status, most first', z.array(StatusCount));
export const getAnalyticsBorrowers = /* @__PURE__ */ analytics('getAnalyticsBorrowers', '/borrowers', 'Borrowers with the most loans', z.array(BorrowerStat), limitQuery(50));
export const getAnalyticsSummary = /* @__PURE__ */ analytics('getAnalyticsSummary', '/summary', 'Every dashboard figure in one answer', Summary);
export const getAnalyticsMonthlyLoans = /* @__PURE__ */ analytics('getAnalyticsMonthlyLoans', '/loans/monthly', 'Loans lent and returned per month, oldest first (every month of the window, empty ones too)',
  z.array(MonthlyLoans), z.object({ months: queryInteger(1, 24, 12) }));
export const getAnalyticsValue = /* @__PURE__ */ analytics('getAnalyticsValue', '/value', 'What the inventory is worth, by location, category and condition', ValueReport);

DOCS: document(getAnalyticsDashboard, { response: dashboardExample });
DOCS: document(getAnalyticsCategories, { response: [categoryExample] });
DOCS: document(getAnalyticsLoans, { response: loansExample });
DOCS: document(getAnalyticsLocations, { response: [locationExample] });
DOCS: document(getAnalyticsActivity, { response: [activityExample] });
DOCS: document(getAnalyticsConditions, { response: [{ condition: 'GOOD', count: 311 }, { condition: 'NEW', count: 120 }] });
DOCS: document(getAnalyticsStatuses, { response: [{ status: 'AVAILABLE', count: 498 }, { status: 'ON_LOAN', count: 6 }] });
DOCS: document(getAnalyticsBorrowers, { response: [borrowerExample] });
DOCS: document(getAnalyticsMonthlyLoans, { response: [monthExample] });
DOCS: document(getAnalyticsSummary, {
  response: {
    dashboard: dashboardExample, loan_stats: loansExample, category_stats: [categoryExample], location_values: [locationExample], recent_activity: [activityExample],
    condition_breakdown: [{ condition: 'GOOD', count: 311 }], status_breakdown: [{ status: 'AVAILABLE', count: 498 }], top_borrowers: [borrowerExample], monthly_loan_activity: [monthExample],
  },
});
DOCS: document(getAnalyticsValue, {
  response: {
    total_value: { EUR: 1_843_250 },
    by_location: [{ id: locationExample.id, name: 'Garage', inventory_count: 64, total_quantity: 212, total_value: { EUR: 612_400 } }],
    by_category: [{ id: categoryExample.id, name: 'Power tools', inventory_count: 21, total_quantity: 25, total_value: { EUR: 254_900 } }, { name: 'Uncategorised', inventory_count: 3, total_quantity: 3, total_value: {} }],
    by_condition: [{ condition: 'GOOD', inventory_count: 311, total_quantity: 402, total_value: { EUR: 1_203_000 } }],
  },
});
