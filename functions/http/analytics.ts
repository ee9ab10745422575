// Analytics (shared/domain/analytics): dashboard figures read from aggregates the change feed keeps.
import * as contract from '../../shared/contract/analytics.js';
import { httpRoute } from '../../shared/http/route.js';
import * as analytics from '../../shared/domain/analytics/service.js';

export const getAnalyticsDashboard = /* @__PURE__ */ httpRoute(contract.getAnalyticsDashboard, ({ scope }) => analytics.dashboard(scope));
export const getAnalyticsCategories = /* @__PURE__ */ httpRoute(contract.getAnalyticsCategories, ({ scope, query }) => analytics.categories(scope, query.limit));
export const getAnalyticsLoans = /* @__PURE__ */ httpRoute(contract.getAnalyticsLoans, ({ scope }) => analytics.loans(scope));
export const getAnalyticsLocations = /* @__PURE__ */ httpRoute(contract.getAnalyticsLocations, ({ scope, query }) => analytics.locations(scope, query.limit));
export const getAnalyticsActivity = /* @__PURE__ */ httpRoute(contract.getAnalyticsActivity, ({ scope, query }) => analytics.activity(scope, query.limit));
export const getAnalyticsConditions = /* @__PURE__ */ httpRoute(contract.getAnalyticsConditions, ({ scope }) => analytics.conditions(scope));
export const getAnalyticsStatuses = /* @__PURE__ */ httpRoute(contract.getAnalyticsStatuses, ({ scope }) => analytics.statuses(scope));
export const getAnalyticsBorrowers = /* @__PURE__ */ httpRoute(contract.getAnalyticsBorrowers, ({ scope, query }) => analytics.borrowers(scope, query.limit));
export const getAnalyticsSummary = /* @__PURE__ */ httpRoute(contract.getAnalyticsSummary, ({ scope }) => analytics.summary(scope));
export const getAnalyticsMonthlyLoans = /* @__PURE__ */ httpRoute(contract.getAnalyticsMonthlyLoans, ({ scope, query }) => analytics.monthlyLoans(scope, query.months));
export const getAnalyticsValue = /* @__PURE__ */ httpRoute(contract.getAnalyticsValue, ({ scope }) => analytics.value(scope));
