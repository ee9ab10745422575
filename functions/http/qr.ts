// QR images of items, locations and containers (shared/domain/qr).
import * as contract from '../../shared/contract/qr.js';
import { httpRoute, rawReply } from '../../shared/http/route.js';
import { prefetchOf, qrImage, type QrImage } from '../../shared/domain/qr/service.js';

const image = ({ body, contentType }: QrImage) => rawReply(body, contentType);

export const getItemQr = /* @__PURE__ */ httpRoute(contract.getItemQr, async ({ scope, params, query }) =>
  image(await qrImage(scope, 'ITEM', params.id, query)), { prefetch: /* @__PURE__ */ prefetchOf('ITEM') });

export const getLocationQr = /* @__PURE__ */ httpRoute(contract.getLocationQr, async ({ scope, params, query }) =>
  image(await qrImage(scope, 'LOCATION', params.id, query)), { prefetch: /* @__PURE__ */ prefetchOf('LOCATION') });

export const getContainerQr = /* @__PURE__ */ httpRoute(contract.getContainerQr, async ({ scope, params, query }) =>
  image(await qrImage(scope, 'CONTAINER', params.id, query)), { prefetch: /* @__PURE__ */ prefetchOf('CONTAINER') });
