// Barcode lookup: what a product database says about a barcode, the answer's shape, and the rules
// for what is kept (found for long, not found for a day, a provider's failure not at all).
import { DomainError } from '../errors.js';
import { fixedWindow } from '../../db/throttle.js';

export type ProviderName = 'open_food_facts' | 'upcitemdb';

/** What a provider knows of a product; `name` is never empty. */
export interface Product {
  name: string;
  brand?: string;
  category?: string;
  image_url?: string;
}

/** The answer of GET /barcode/{barcode} (the earlier API's shape, plus `source` and `source_error`). */
export interface BarcodeAnswer extends Partial<Omit<Product, 'name'>> {
  barcode: string;
  /** '' when nothing was found */
  name: string;
  found: boolean;
  /** the provider that found it */
  source?: ProviderName;
  /** which providers failed and how, when any did (never from the cache) */
  source_error?: string;
}

/** The cached answer, with when it stops counting. */
export interface CachedLookup {
  barcode: string;
  name: string;
  found: boolean;
  brand?: string;
  category?: string;
  image_url?: string;
  source?: ProviderName;
  cached_at: string;
  /** epoch milliseconds; DynamoDB Local never expires items, so readers check it */
  expires_at: number;
}

export const cacheDays = { found: 30, notFound: 1 } as const;

/** Lookups per client address in a fixed window (the route is public and each miss calls out). */
export const lookupThrottle = { maxPerClient: 60, windowSeconds: 15 * 60 } as const;

export const TooManyLookups = (retryAfter: number) =>
  new DomainError('TOO_MANY_ATTEMPTS', `More than ${lookupThrottle.maxPerClient} barcode lookups from this address in ${lookupThrottle.windowSeconds / 60} minutes; try again later.`, { retryAfter });

/** The fixed window an instant falls in, and when it ends (epoch milliseconds). */
export const throttleWindow = (now: Date) => fixedWindow(now, lookupThrottle.windowSeconds);

/** C0 and C1 controls, line and paragraph separators, bidi embeddings, overrides and isolates. */
const unsafe = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]+/g;
/** What renders as nothing (as in shared/contract/text.ts): text made only of these is no text. */
const invisible = /[\s\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2060-\u2064\u206A-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;

/**
 * Text from a provider as the API's own text types would have stored it (shared/contract/text.ts):
 * well-formed, NFC, one line without controls or bidi overrides, trimmed, at most `max` characters.
 * What another service says reaches our clients too. Nothing visible → undefined.
 */
export function cleanText(value: unknown, max = 500): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.toWellFormed().normalize('NFC').replace(unsafe, ' ').replace(/\s+/g, ' ').trim();
  if (text.replace(invisible, '') === '') return undefined;
  const characters = [...text];
  return characters.length > max ? characters.slice(0, max).join('').trimEnd() : text;
}

/** An http(s) URL from a provider, normalised; anything else is dropped. */
export function cleanUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
