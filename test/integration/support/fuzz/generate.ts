// Values from JSON Schema: what the fuzzer sends is derived from the same OpenAPI document the
// server serves (shared/contract/openapi.ts), so a route's inputs are never described twice.
// `inputsOf` reads one operation's path, query and header parameters and its request body
// (`$ref`s resolved into components); `arbitraryOf` turns a schema into a fast-check arbitrary of
// values the schema accepts. It understands what the document uses: object (properties, required,
// additionalProperties, an `oneOf` of `required` lists), string (minLength, maxLength, pattern,
// format uuid / email / date-time / password, enum, const), integer and number (minimum,
// maximum), boolean, null, array, oneOf / anyOf / allOf, `$ref`. A hint can put real values (ids
// of the seeded world, its passwords, its cursors) in front of the generic ones.
import fc from 'fast-check';
import type { RouteContract } from '../../../../shared/contract/index.js';

export type JsonSchema = Record<string, any>;
export type OpenApiDocument = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, JsonSchema> } };

export interface InputField {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** What one operation takes, read from the document. */
export interface RouteInputs {
  route: RouteContract;
  path: InputField[];
  query: InputField[];
  headers: InputField[];
  body?: { media: 'application/json' | 'application/x-www-form-urlencoded'; schema: JsonSchema };
}

/** The schema a `$ref` points at (`#/components/schemas/User`), followed until it is no reference. */
export function deref(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  let current = schema ?? {};
  for (let depth = 0; typeof current.$ref === 'string' && depth < 20; depth += 1) {
    const target = (current.$ref as string).replace(/^#\//, '').split('/')
      .reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
    if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  return current;
}

/** allOf folded into one schema (properties and required lists united; the rest, last wins). */
function flatten(document: OpenApiDocument, schema: JsonSchema): JsonSchema {
  const resolved = deref(document, schema);
  if (!Array.isArray(resolved.allOf)) return resolved;
  const { allOf, ...rest } = resolved;
  return (allOf as JsonSchema[]).map((part) => flatten(document, part)).reduce<JsonSchema>((merged, part) => ({
    ...merged, ...part,
    ...(merged.properties || part.properties ? { properties: { ...merged.properties, ...part.properties } } : {}),
    ...(merged.required || part.required ? { required: [...new Set([...(merged.required ?? []), ...(part.required ?? [])])] } : {}),
  }), rest);
}

export function inputsOf(document: OpenApiDocument, route: RouteContract): RouteInputs {
  const operation = document.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`${route.id}: ${route.method} ${route.path} is not in the OpenAPI document`);
  const fields = ((operation.parameters ?? []) as any[]).map((parameter) => deref(document, parameter)).map((parameter): InputField => ({
    name: parameter.name, in: parameter.in, required: parameter.required === true, schema: flatten(document, parameter.schema ?? {}),
  }));
  const content = (deref(document, operation.requestBody ?? {}).content ?? {}) as Record<string, { schema?: JsonSchema }>;
  const media = (['application/json', 'application/x-www-form-urlencoded'] as const).find((type) => type in content);
  return {
    route,
    path: fields.filter((field) => field.in === 'path'),
    query: fields.filter((field) => field.in === 'query'),
    headers: fields.filter((field) => field.in === 'header'),
    ...(media ? { body: { media, schema: flatten(document, content[media]!.schema ?? {}) } } : {}),
  };
}

// ---- generation

/** Where a value goes: hints use it to offer real values of the world. */
export interface FieldContext {
  route: RouteContract;
  location: 'path' | 'query' | 'header' | 'body';
  /** the property or parameter name (the last one for nested values; '' for a body's root) */
  name: string;
  /** dotted path of the value: `body.full_name`, `query.limit`, `path.workspace_id`, `body` */
  pointer: string;
  schema: JsonSchema;
}

/** A hint's offer: generated as often as `weight` against 1 for the generic values, or instead of them. */
export interface HintOffer {
  arbitrary: fc.Arbitrary<unknown>;
  weight?: number;
  exclusive?: boolean;
}

export type Hint = (context: FieldContext) => HintOffer | undefined;

export interface GenerateOptions {
  document: OpenApiDocument;
  hint?: Hint;
}

/** Distinctive prefix of every generated secret, so an echo is recognised and never a coincidence. */
export const secretPrefix = 'Zk9~';

/** Mostly printable ASCII, some Latin-1 letters, some other scripts and an emoji (two UTF-16 units). */
const textUnit: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,\'&()!?'), weight: 12 },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 3 },
  { arbitrary: fc.constantFrom('é', 'ü', 'ß', 'Å', 'ñ', 'ø', 'Ł', 'ž'), weight: 2 },
  { arbitrary: fc.constantFrom('Ж', 'ω', 'م', 'ש', '日', '本', '한', 'ก', '😀', '🏠'), weight: 1 },
);

/** `^[class]+$` / `^[class]*$` / `^[class]{m,n}$` patterns as their character set, when simple enough. */
function simpleCharClass(pattern: string): string[] | undefined {
  const match = /^\^\[([^\]\\]+)\](?:\+|\*|\{\d+(?:,\d*)?\})\$$/.exec(pattern);
  if (!match) return undefined;
  const chars: string[] = [];
  const body = match[1]!;
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index]!;
    if (body[index + 1] === '-' && index + 2 < body.length) {
      for (let code = char.charCodeAt(0); code <= body.charCodeAt(index + 2); code += 1) chars.push(String.fromCharCode(code));
      index += 2;
    } else chars.push(char);
  }
  return chars;
}

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** Emails the contract accepts (zod's email check is stricter than RFC 5322): `local@domain.test`. */
export const emailArbitrary = (maxLength = 254) => fc.tuple(
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 12 }),
  fc.constantFrom('', '.x', '+tag', '_y', '-z'),
  hex(8),
  fc.constantFrom('example.test', 'fuzz.example', 'sub.example.org'),
).map(([local, extra, tag, domain]) => `fuzz-${local}${extra}-${tag}@${domain}`.slice(-maxLength));

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Math.max(min, 64);
  const within = (value: string) => value.length >= min && value.length <= max;
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: [1, 4, 7] });
    case 'email':
      return emailArbitrary(max);
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }).map((date) => date.toISOString());
    case 'password': {
      // prefix + random tail: long enough, and recognisable if a response ever carries it
      const tailMin = Math.max(0, min - secretPrefix.length);
      const tailMax = Math.max(tailMin, Math.min(max - secretPrefix.length, tailMin + 24));
      return fc.string({ unit: textUnit, minLength: tailMin, maxLength: tailMax })
        .map((tail) => `${secretPrefix}${tail}`)
        .filter(within);
    }
    default:
      break;
  }
  if (typeof schema.pattern === 'string') {
    const chars = simpleCharClass(schema.pattern);
    if (chars) return fc.string({ unit: fc.constantFrom(...chars), minLength: Math.max(min, 1), maxLength: Math.min(max, Math.max(min, 1) + 24) });
    return fc.stringMatching(new RegExp(schema.pattern)).filter(within);
  }
  // text: mostly short, sometimes exactly at the limits
  const boundaries: string[] = [];
  if (max <= 5000) boundaries.push('x'.repeat(max));
  if (min > 0) boundaries.push('y'.repeat(min));
  return fc.oneof(
    { arbitrary: fc.string({ unit: textUnit, minLength: min, maxLength: Math.min(max, min + 30) }).filter(within), weight: 8 },
    ...(boundaries.length ? [{ arbitrary: fc.constantFrom(...boundaries), weight: 1 }] : []),
  );
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const declaredMin = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : undefined;
  const declaredMax = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : undefined;
  const min = declaredMin ?? (declaredMax !== undefined ? Math.min(0, declaredMax) : -1000);
  const max = declaredMax ?? Math.max(min, 1000);
  const edges = [min, max].filter((value) => Number.isFinite(value));
  if (integer || typeof schema.default === 'number') {
    // `limit` is declared `number` with a default: integers are what clients send
    const low = Math.ceil(Math.max(min, Number.MIN_SAFE_INTEGER));
    const high = Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER));
    return fc.oneof({ arbitrary: fc.integer({ min: low, max: high }), weight: 6 }, { arbitrary: fc.constantFrom(...edges.map(Math.round)), weight: 1 });
  }
  return fc.oneof(
    { arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), weight: 4 },
    { arbitrary: fc.constantFrom(...edges), weight: 1 },
  );
}

const typesOf = (schema: JsonSchema): string[] =>
  Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : [];

/** An arbitrary of values `schema` accepts, with the hint's real values in front where it offers some. */
export function arbitraryOf(input: JsonSchema, context: Omit<FieldContext, 'schema'>, options: GenerateOptions): fc.Arbitrary<unknown> {
  const schema = flatten(options.document, input);
  const offer = options.hint?.({ ...context, schema });
  if (offer?.exclusive) return offer.arbitrary;
  const generic = genericArbitrary(schema, context, options);
  if (!offer) return generic;
  // fast-check wants integer weights: a weight below 1 makes the generic values the frequent ones
  const weight = offer.weight ?? 3;
  return weight >= 1
    ? fc.oneof({ arbitrary: offer.arbitrary, weight: Math.round(weight) }, { arbitrary: generic, weight: 1 })
    : fc.oneof({ arbitrary: offer.arbitrary, weight: 1 }, { arbitrary: generic, weight: Math.round(1 / weight) });
}

function genericArbitrary(schema: JsonSchema, context: Omit<FieldContext, 'schema'>, options: GenerateOptions): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  const types = typesOf(schema);
  // an object's oneOf of `required` lists ("exactly one of"): handled with the object
  if (branches && !(types.includes('object') && branches.every((branch) => Object.keys(branch).every((key) => key === 'required')))) {
    const { oneOf: _one, anyOf: _any, ...base } = schema;
    return fc.oneof(...branches.map((branch) => arbitraryOf({ ...base, ...flatten(options.document, branch) }, context, options)));
  }
  const type = types.length > 1 ? undefined : types[0] ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  if (types.length > 1) {
    return fc.oneof(...types.map((one) => arbitraryOf({ ...schema, type: one }, context, options)));
  }
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = arbitraryOf(schema.items ?? {}, { ...context, pointer: `${context.pointer}[]` }, options);
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, (schema.minItems ?? 0) + 5) });
    }
    case 'object':
      return objectArbitrary(schema, context, options);
    default:
      // anything: a small JSON value
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, context: Omit<FieldContext, 'schema'>, options: GenerateOptions): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set<string>((schema.required ?? []) as string[]);
  const field = (name: string) => arbitraryOf(properties[name]!, {
    ...context, name, pointer: context.pointer ? `${context.pointer}.${name}` : name,
  }, options);
  const build = (requiredNames: Set<string>, excluded: Set<string>) => {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const name of Object.keys(properties)) if (!excluded.has(name)) record[name] = field(name);
    return fc.record(record, { requiredKeys: Object.keys(record).filter((name) => requiredNames.has(name)) }) as fc.Arbitrary<Record<string, unknown>>;
  };
  const exclusive = ((schema.oneOf ?? []) as JsonSchema[]).filter((branch) => Array.isArray(branch.required));
  if (exclusive.length === 0) return build(required, new Set());
  // exactly one branch's required fields, and none of the other branches' (so it is "one of")
  return fc.oneof(...exclusive.map((branch) => {
    const mine = new Set<string>(branch.required);
    const others = new Set(exclusive.filter((other) => other !== branch).flatMap((other) => other.required as string[]).filter((name) => !mine.has(name)));
    return build(new Set([...required, ...mine]), others);
  }));
}

/** Facts about a (flattened) schema the mutations need. */
export function describeSchema(document: OpenApiDocument, schema: JsonSchema) {
  const flat = flatten(document, schema);
  const branches = ((flat.anyOf ?? flat.oneOf ?? []) as JsonSchema[]).map((branch) => flatten(document, branch));
  const nonNull = branches.find((branch) => !typesOf(branch).includes('null')) ?? flat;
  const types = new Set([...typesOf(flat), ...branches.flatMap(typesOf)]);
  return {
    flat,
    /** the non-null branch of a nullable schema, or the schema itself */
    core: { ...flat, ...nonNull },
    types,
    nullable: types.has('null'),
    secret: flat.writeOnly === true || flat.format === 'password' || nonNull.writeOnly === true || nonNull.format === 'password',
  };
}
