// The activity log.
import * as contract from '../../shared/contract/activity.js';
import { httpRoute } from '../../shared/http/route.js';
import * as activity from '../../shared/domain/activity/service.js';

export const listActivity = /* @__PURE__ */ httpRoute(contract.listActivity, ({ scope, query }) => activity.list(scope, query));

export const listEntityActivity = /* @__PURE__ */ httpRoute(contract.listEntityActivity, ({ scope, params, query }) =>
  activity.listForEntity(scope, params.entity_type, params.entity_id, query));

export const listRecentActivity = /* @__PURE__ */ httpRoute(contract.listRecentActivity, ({ scope, query }) => activity.recent(scope, query));
