// Barcode lookup: what public product databases know about a barcode (public, kept from the
// earlier API; its answer shape plus `source` and `source_error`).
import * as z from 'zod/mini';
import { named, UrlOut } from './common.js';
import { document, route } from './route.js';
import { asciiText } from './text.js';

/**
 * 8 to 14 digits: EAN-8, UPC-A (12), EAN-13 and GTIN-14 are digits only. The earlier API took any
 * 8–14 characters; a letter or a slash in a "barcode" could only be a typing mistake or an attempt
 * to reach another path of the providers' APIs, so it is refused (422). Check digits are not
 * verified (shops print internal codes that fail them, and the providers decide what they know).
 */
export const BarcodeText = /* @__PURE__ */ asciiText({ min: 8, max: 14, pattern: /^[0-9]+$/ });

export const providerNames = ['open_food_facts', 'upcitemdb'] as const;

export const BarcodeProduct = /* @__PURE__ */ named('BarcodeProduct', z.object({
  barcode: z.string(),
  name: z.string(),
  brand: z.optional(z.string()),
  category: z.optional(z.string()),
  image_url: z.optional(UrlOut),
  found: z.boolean(),
  source: z.optional(z.enum(providerNames)),
  source_error: z.optional(z.string()),
}), 'What the product databases know about a barcode. `name` is empty when nothing was found; `source` names the database that found it; `source_error` says which databases could not be asked and why.');

export const lookupBarcode = /* @__PURE__ */ route({
  id: 'lookupBarcode', method: 'GET', path: '/barcode/{barcode}', domain: 'barcode', access: 'public',
  summary: 'What public product databases know about a barcode',
  params: z.object({ barcode: BarcodeText }), response: BarcodeProduct, status: 200, errors: ['TOO_MANY_ATTEMPTS'],
  // the cache and the per-client counter are written on a GET; no token is issued or checked
  grants: { table: 'write' }, throttle: { rate: 2, burst: 10 },
});
// What the OpenAPI document says beyond the summary. Like the examples, it is for the document only
// (a DOCS statement: no route bundle carries it), as it would cost this route ~1 KB of cold start.
DOCS: lookupBarcode.description = [
  'Asks Open Food Facts first, then UPCitemdb; the first that knows the barcode answers (`found: true`, `source` names it; `brand`, `category` and `image_url` when it has them).',
  'Answers are kept: a product found for 30 days, a barcode nobody knows for 1 day. When a database cannot be asked (down, slow: each gets 2.5 s by default, or refusing), the answer is still 200, with what the others said and `source_error` naming the failures (`open_food_facts: no answer within 2500 ms`); an answer with `found: false` and `source_error` is not kept, so asking again later may find it.',
  'The barcode is 8 to 14 digits (EAN-8, UPC-A, EAN-13, GTIN-14); anything else is 422. Check digits are not verified.',
  'Public, so limited: 60 lookups per client address in each 15-minute window (429 `TOO_MANY_ATTEMPTS` with `Retry-After`), and API Gateway throttles the route as a whole to 2 requests a second (bursts of 10; its own 429 has the body `{"message":"Too Many Requests"}`).',
].join('\n\n');
DOCS: document(lookupBarcode, {
  response: {
    barcode: '3017620422003', name: 'Nutella', brand: 'Ferrero', category: 'Breakfasts, Spreads, Sweet spreads, Hazelnut spreads',
    image_url: 'https://images.openfoodfacts.org/images/products/301/762/042/2003/front_en.633.400.jpg', found: true, source: 'open_food_facts',
  },
});
