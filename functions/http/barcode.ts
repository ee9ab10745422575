// Barcode lookup (shared/domain/barcode): public, limited per client address.
import * as contract from '../../shared/contract/barcode.js';
import { httpRoute } from '../../shared/http/route.js';
import { lookupBarcode as lookup } from '../../shared/domain/barcode/service.js';

// The client address API Gateway saw: lookups are counted per address.
export const lookupBarcode = /* @__PURE__ */ httpRoute(contract.lookupBarcode, ({ params, event }) => lookup(params.barcode, event.requestContext.http.sourceIp));
