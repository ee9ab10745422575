// Rules every route of the route table keeps, read from the declarations themselves, so a route
// added later is held to them without anyone remembering: every string a client sends is one of
// the text types (shared/contract/text.ts) or a constrained format, and every number an integer
// or a bounded one.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routeTable } from '../../shared/contract/index.js';
import { integer, isTextType, nameText } from '../../shared/contract/text.js';
import { descriptionOf } from '../../shared/contract/docs.js';

interface Def {
  type: string;
  format?: string;
  shape?: Record<string, z.ZodMiniType>;
  innerType?: z.ZodMiniType;
  in?: z.ZodMiniType;
  out?: z.ZodMiniType;
  element?: z.ZodMiniType;
  options?: z.ZodMiniType[];
  valueType?: z.ZodMiniType;
  checks?: { _zod: { def: { check: string } } }[];
}

const defOf = (schema: z.ZodMiniType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Strings that are not free text: a fixed format the schema checks. */
const checkedFormats = new Set(['uuid', 'email', 'datetime', 'date', 'url', 'regex']);

/** Every leaf of a request schema that breaks the rules, with where it sits. */
function offenders(schema: z.ZodMiniType, at: string): string[] {
  if (isTextType(schema)) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape ?? {}).flatMap(([name, inner]) => offenders(inner, `${at}.${name}`));
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'nonoptional': case 'readonly':
      return offenders(def.innerType!, at);
    case 'pipe': {
      // coerced numbers are checked on their output side, flags (enum → boolean) on their input side
      const checkedOut = offenders(def.out!, at);
      return checkedOut.length === 0 ? [] : offenders(def.in!, at);
    }
    case 'array':
      return offenders(def.element!, `${at}[]`);
    case 'union':
      return (def.options ?? []).flatMap((option, index) => offenders(option, `${at}|${index}`));
    case 'string':
      return def.format && checkedFormats.has(def.format) ? [] : [`${at}: a bare string (use a text type of shared/contract/text.ts)`];
    case 'number': {
      // zod's own bounds, or text.ts's integer(): refinements whose range the document states
      const bounded = (def.checks ?? []).map((check) => check._zod.def.check);
      const documented = descriptionOf(schema);
      const stated = typeof documented?.minimum === 'number' && typeof documented?.maximum === 'number';
      return def.format === 'safeint' || stated || (bounded.includes('greater_than') && bounded.includes('less_than')) ? [] : [`${at}: an unbounded number`];
    }
    case 'enum': case 'literal': case 'boolean': case 'unknown': case 'never':
      return [];
    default:
      return [`${at}: a ${def.type} the rules do not know`];
  }
}

describe('the route table', () => {
  it('takes every client string as a text type or a checked format, and every number bounded', () => {
    const found: string[] = [];
    let fields = 0;
    for (const contract of routeTable) {
      for (const [part, schema] of [['path', contract.params], ['query', contract.query], ['body', contract.body]] as const) {
        if (!schema) continue;
        fields += Object.keys(defOf(schema).shape ?? {}).length;
        found.push(...offenders(schema, `${contract.id} ${part}`));
      }
    }
    process.stdout.write(`contract rules: ${routeTable.length} routes, ${fields} input fields checked\n`);
    expect(found).toEqual([]);
  });
});

describe('the rule itself', () => {
  it('finds a bare string and an unbounded number, and accepts text types, formats and bounded integers', () => {
    const schema = z.strictObject({
      bare: z.string(), count: z.number(), name: nameText(10), id: z.uuid(), limit: integer(1, 5), size: z.optional(z.int()),
      nested: z.object({ inner: z.optional(z.string()) }), list: z.array(z.number()),
    });
    expect(offenders(schema, 'body').map((finding) => finding.split(':')[0])).toEqual(['body.bare', 'body.count', 'body.nested.inner', 'body.list[]']);
    // the range integer() states is the range it holds
    const limit = integer(1, 5);
    expect([0, 1, 5, 6, 2.5].map((value) => z.safeParse(limit, value).success)).toEqual([false, true, true, false, false]);
    expect(z.safeParse(limit, 0).error?.issues.map((issue) => issue.message)).toEqual(['must be at least 1']);
    expect(z.safeParse(limit, 6).error?.issues.map((issue) => issue.message)).toEqual(['must be at most 5']);
  });
});
