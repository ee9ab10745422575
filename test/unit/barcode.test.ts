// Barcode lookup without HTTP: what providers say is cleaned like the API's own text types, and
// the providers are asked in order, the first that finds the code answering; an answer is
// definitive (cacheable) unless a provider failed before one found it. Over HTTP against local
// provider servers: test/integration/barcode.test.ts.
import { describe, expect, it } from 'vitest';
import { cleanText, cleanUrl, type Product } from '../../shared/domain/barcode/model.js';
import { ProviderFailure, type BarcodeProvider } from '../../shared/domain/barcode/providers.js';
import { askProviders } from '../../shared/domain/barcode/service.js';

describe('cleanText and cleanUrl', () => {
  it('keep one visible, normalised line of at most max characters', () => {
    expect(cleanText('  Cafe\u0301 \u202Eau\u2066 lait\u0000\r\n bio ')).toBe('Café au lait bio');
    expect(cleanText('\u200B \uFEFF')).toBeUndefined();
    expect(cleanText(42)).toBeUndefined();
    expect(cleanText('broken \uD800 surrogate')).toBe('broken \uFFFD surrogate');
    expect(cleanText('😀'.repeat(10), 4)).toBe('😀'.repeat(4));
  });

  it('keep http and https URLs only', () => {
    expect(cleanUrl(' https://images.example.org/a b.jpg ')).toBe('https://images.example.org/a%20b.jpg');
    for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'not a url', 7, `https://x.org/${'a'.repeat(2100)}`]) expect(cleanUrl(bad)).toBeUndefined();
  });
});

const provider = (name: BarcodeProvider['name'], answer: Product | undefined | Error): BarcodeProvider & { calls: number } => ({
  name,
  calls: 0,
  async lookup() {
    this.calls += 1;
    if (answer instanceof Error) throw answer;
    return answer;
  },
});

describe('askProviders', () => {
  it('stops at the first provider that finds the code', async () => {
    const first = provider('open_food_facts', { name: 'Nutella', brand: 'Ferrero' });
    const second = provider('upcitemdb', { name: 'Other' });
    expect(await askProviders('3017620422003', [first, second])).toEqual({
      answer: { barcode: '3017620422003', name: 'Nutella', brand: 'Ferrero', found: true, source: 'open_food_facts' }, definitive: true,
    });
    expect(second.calls).toBe(0);
  });

  it('is definitive when every provider answered, found or not, and not when one failed without another finding it', async () => {
    const unknown = () => provider('open_food_facts', undefined);
    const down = () => provider('open_food_facts', new ProviderFailure('answered HTTP 500'));
    expect(await askProviders('12345678', [unknown(), provider('upcitemdb', undefined)])).toEqual({ answer: { barcode: '12345678', name: '', found: false }, definitive: true });
    expect(await askProviders('12345678', [down(), provider('upcitemdb', { name: 'Drill' })])).toEqual({
      answer: { barcode: '12345678', name: 'Drill', found: true, source: 'upcitemdb', source_error: 'open_food_facts: answered HTTP 500' }, definitive: true,
    });
    expect(await askProviders('12345678', [unknown(), provider('upcitemdb', new ProviderFailure('no answer within 2500 ms'))])).toEqual({
      answer: { barcode: '12345678', name: '', found: false, source_error: 'upcitemdb: no answer within 2500 ms' }, definitive: false,
    });
  });

  it('lets an unexpected error through (a bug is a 500, not a provider failure)', async () => {
    await expect(askProviders('12345678', [provider('open_food_facts', new TypeError('bug'))])).rejects.toThrow('bug');
  });
});
