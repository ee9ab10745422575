// Printing (shared/domain/print): label sheets and the insurance report, made by a background job.
import * as contract from '../../shared/contract/print.js';
import { httpRoute } from '../../shared/http/route.js';
import { startInsuranceReport, startLabelSheets } from '../../shared/domain/print/requests.js';

export const createLabelSheets = /* @__PURE__ */ httpRoute(contract.createLabelSheets, ({ scope, body }) => startLabelSheets(scope, body));
export const createInsuranceReport = /* @__PURE__ */ httpRoute(contract.createInsuranceReport, ({ scope, body }) => startInsuranceReport(scope, body));
