// infra/pure-sources.ts marks the contract's value-building calls pure and leaves the document's
// prose out of route bundles: route summaries, and the documentation arguments of the helpers.
import { describe, expect, it } from 'vitest';
import { markPure } from '../../infra/pure-sources.js';

describe('markPure', () => {
  it('marks zod and helper calls pure, never the registry', () => {
    const marked = markPure(`const A = z.object({ a: z.string() });\nz.globalRegistry.add(A, {});\nconst B = uuidText();`);
    expect(marked).toContain('const A = /* @__PURE__ */ z.object({ a: /* @__PURE__ */ z.string() })');
    expect(marked).toContain('\nz.globalRegistry.add(A, {});');
    expect(marked).toContain('const B = /* @__PURE__ */ uuidText()');
  });

  it('keeps documentation arguments only where HW_DOCS is set', () => {
    const marked = markPure(`const R = named('Row', z.object({}), 'A row.');\nconst S = describe(z.string(), { format: 'uuid' });\nconst C = catalogRecord('Item', { a: IdOut }, 'An item.');`);
    expect(marked).toContain("named((HW_DOCS ? 'Row' : undefined), /* @__PURE__ */ z.object({}), (HW_DOCS ? 'A row.' : undefined))");
    expect(marked).toContain("describe(/* @__PURE__ */ z.string(), (HW_DOCS ? { format: 'uuid' } : undefined))");
    expect(marked).toContain("catalogRecord((HW_DOCS ? 'Item' : undefined), { a: IdOut }, (HW_DOCS ? 'An item.' : undefined))");
  });

  it("empties a route declaration's summary, description and errors outside the document", () => {
    const marked = markPure(`const r = route({ id: 'x', summary: 'Say', description: 'More', errors: ['NOT_FOUND'] });`);
    expect(marked).toContain("summary: (HW_DOCS ? 'Say' : '')");
    expect(marked).toContain("description: (HW_DOCS ? 'More' : undefined)");
    expect(marked).toContain("errors: (HW_DOCS ? ['NOT_FOUND'] : undefined)");
  });
});
