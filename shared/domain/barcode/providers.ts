// The product databases asked about a barcode, behind one interface, in the order they are asked:
// Open Food Facts (food and drink, open data), then UPCitemdb's free trial API (general goods,
// 100 lookups a day per address). Base URLs and the timeout come from configuration
// (BARCODE_OFF_URL, BARCODE_UPCITEMDB_URL, BARCODE_TIMEOUT_MS).
import { barcodeSettings, config } from '../../config.js';
import { cleanText, cleanUrl, type Product, type ProviderName } from './model.js';

export interface BarcodeProvider {
  name: ProviderName;
  /**
   * The product, `undefined` when the provider says it does not know the barcode; throws
   * `ProviderFailure` when it could not say (unreachable, too slow, an error status, not JSON).
   */
  lookup(barcode: string): Promise<Product | undefined>;
}

/** A provider that could not answer; `message` says why, for `source_error`. */
export class ProviderFailure extends Error {
  override readonly name = 'ProviderFailure';
}

/** Open Food Facts asks API users to name themselves; UPCitemdb refuses requests without one. */
const userAgent = () => `HomeWarehouse/1.0 (${config.mailFrom})`;

const base = (url: string) => url.replace(/\/+$/, '');

type Json = Record<string, unknown>;

/** GET a JSON document within the timeout (headers and body). A body that is not JSON is `undefined`. */
async function getJson(url: string): Promise<{ status: number; body: Json | undefined }> {
  const timeoutMs = barcodeSettings().timeoutMs;
  try {
    const response = await fetch(url, { headers: { accept: 'application/json', 'user-agent': userAgent() }, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: Json | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  } catch (error) {
    const name = (error as { name?: string })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new ProviderFailure(`no answer within ${timeoutMs} ms`);
    throw new ProviderFailure('unreachable');
  }
}

const failure = (status: number, body: Json | undefined) =>
  new ProviderFailure(body === undefined && status === 200 ? 'answered something other than JSON' : `answered HTTP ${status}${typeof body?.code === 'string' ? ` ${cleanText(body.code, 40)}` : ''}`);

const record = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

function product(fields: { name: unknown; brand: unknown; category: unknown; image: unknown }): Product | undefined {
  const name = cleanText(fields.name);
  if (!name) return undefined;
  const brand = cleanText(fields.brand);
  const category = cleanText(fields.category);
  const image = cleanUrl(fields.image);
  return { name, ...(brand ? { brand } : {}), ...(category ? { category } : {}), ...(image ? { image_url: image } : {}) };
}

/**
 * `GET {base}/api/v0/product/{code}.json`: found when `status` is 1 and `product_name` is not
 * empty. An unknown code answers `status: 0` (with HTTP 200, or 404 on newer servers).
 */
export const openFoodFacts: BarcodeProvider = {
  name: 'open_food_facts',
  async lookup(barcode) {
    const { status, body } = await getJson(`${base(barcodeSettings().openFoodFactsUrl)}/api/v0/product/${encodeURIComponent(barcode)}.json`);
    if (body === undefined || (status !== 200 && !(status === 404 && body.status === 0))) throw failure(status, body);
    if (body.status !== 1) return undefined;
    const found = record(body.product);
    return product({ name: found.product_name, brand: found.brands, category: found.categories, image: found.image_url });
  },
};

/**
 * `GET {base}/prod/trial/lookup?upc={code}` → `{code: 'OK', total, items: [{title, brand,
 * category, images: [...]}]}`: found when the first item has a title. `INVALID_UPC` (400: not a
 * code it knows how to read) and `NOT_FOUND` (404) say it does not know the code; anything else
 * (429 `TOO_FAST`/`EXCEED_LIMIT`, 5xx) is a failure.
 */
export const upcItemDb: BarcodeProvider = {
  name: 'upcitemdb',
  async lookup(barcode) {
    const { status, body } = await getJson(`${base(barcodeSettings().upcItemDbUrl)}/prod/trial/lookup?upc=${encodeURIComponent(barcode)}`);
    if (body !== undefined && ((status === 400 && body.code === 'INVALID_UPC') || (status === 404 && body.code === 'NOT_FOUND'))) return undefined;
    if (body === undefined || status !== 200 || body.code !== 'OK') throw failure(status, body);
    const first = record(Array.isArray(body.items) ? body.items[0] : undefined);
    const images = Array.isArray(first.images) ? first.images : [];
    return product({ name: first.title, brand: first.brand, category: first.category, image: images.find((image) => cleanUrl(image) !== undefined) });
  },
};

/** Asked in this order; the first that finds the code answers. */
export const providers: readonly BarcodeProvider[] = [openFoodFacts, upcItemDb];
