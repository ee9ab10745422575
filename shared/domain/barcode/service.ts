// GET /barcode/{barcode}: the lookup is counted for its client address first; a cached answer is
// served while it lasts; otherwise the providers are asked in order and a definitive answer (found,
// or not found by every provider that answered) is cached. A provider that fails makes the answer
// `found: false` with `source_error` (never a 500), and such an answer is not cached: the next
// lookup asks again.
import { logger } from '../../observability/telemetry.js';
import { cacheDays, throttleWindow, TooManyLookups, type BarcodeAnswer, type CachedLookup } from './model.js';
import { ProviderFailure, providers as defaultProviders, type BarcodeProvider } from './providers.js';
import * as repository from './repository.js';

const day = 24 * 60 * 60 * 1000;

function answerOf(cached: CachedLookup): BarcodeAnswer {
  const { cached_at: _cachedAt, expires_at: _expiresAt, ...answer } = cached;
  return answer;
}

/** Asks each provider in turn until one finds the code. `definitive` unless a provider failed before any found it. */
export async function askProviders(barcode: string, providers: readonly BarcodeProvider[]): Promise<{ answer: BarcodeAnswer; definitive: boolean }> {
  const failures: string[] = [];
  const sourceError = () => (failures.length > 0 ? { source_error: failures.join('; ') } : {});
  for (const provider of providers) {
    try {
      const product = await provider.lookup(barcode);
      if (product) return { answer: { barcode, ...product, found: true, source: provider.name, ...sourceError() }, definitive: true };
    } catch (error) {
      if (!(error instanceof ProviderFailure)) throw error;
      failures.push(`${provider.name}: ${error.message}`);
      logger.warn('barcode provider failed', { provider: provider.name, reason: error.message });
    }
  }
  return { answer: { barcode, name: '', found: false, ...sourceError() }, definitive: failures.length === 0 };
}

export async function lookupBarcode(barcode: string, client: string, providers: readonly BarcodeProvider[] = defaultProviders): Promise<BarcodeAnswer> {
  const now = new Date();
  const window = throttleWindow(now);
  // Both reads at once: the count decides, the cache read is wasted only when it refuses.
  const [allowed, cached] = await Promise.all([repository.countLookup(client, window), repository.getCached(barcode, now)]);
  if (!allowed) throw TooManyLookups((window.endsAt - now.getTime()) / 1000);
  if (cached) return answerOf(cached);

  const { answer, definitive } = await askProviders(barcode, providers);
  if (definitive) {
    const { source_error: _error, ...kept } = answer;
    const days = answer.found ? cacheDays.found : cacheDays.notFound;
    try {
      await repository.putCached({ ...kept, cached_at: now.toISOString(), expires_at: now.getTime() + days * day });
    } catch (error) {
      // The answer stands; the next lookup asks the providers again.
      logger.warn('barcode cache write failed', error as Error);
    }
  }
  return answer;
}
