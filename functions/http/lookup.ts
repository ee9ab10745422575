// Short codes: what a scanned label names.
import * as contract from '../../shared/contract/lookup.js';
import { httpRoute } from '../../shared/http/route.js';
import { lookup } from '../../shared/domain/lookup/service.js';

export const lookupShortCode = /* @__PURE__ */ httpRoute(contract.lookupShortCode, ({ scope, params }) => lookup(scope, params.short_code));
