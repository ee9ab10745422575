// Near-valid requests: a valid request with one thing wrong. Each field of the route's schemas is
// mutated on its own (wrong type, boundary and beyond-boundary numbers, oversized and malformed
// text, extra and missing properties), and so are the parts every request has (path segments with
// malformed escapes and dot segments, crafted cursors, odd headers, content types, methods).
// A mutation is a label and a function of the valid request, so fast-check prints (and shrinks)
// the request that was really sent.
import fc from 'fast-check';
import { routeTable } from '../../../../shared/contract/index.js';
import { describeSchema, secretPrefix, type InputField, type JsonSchema, type OpenApiDocument, type RouteInputs } from './generate.js';
import { jsonText, rawJson, type CallerKey, type FuzzRequest } from './request.js';

export interface Mutation {
  label: string;
  apply: (request: FuzzRequest) => FuzzRequest;
}

const mutation = (label: string, apply: Mutation['apply']): Mutation => ({ label, apply });
const weighted = (arbitrary: fc.Arbitrary<Mutation>, weight: number) => ({ arbitrary, weight });
const choose = (items: Mutation[]) => fc.constantFrom(...items);

const withBody = (request: FuzzRequest, change: (body: Record<string, unknown>) => void): FuzzRequest => {
  const current = request.body && 'json' in request.body ? request.body.json : {};
  const copy: Record<string, unknown> = current && typeof current === 'object' && !Array.isArray(current) ? { ...current } : {};
  change(copy);
  return { ...request, body: { json: copy } };
};

/** The valid body's JSON text, for mutations of the text itself. */
const bodyText = (request: FuzzRequest) => (request.body === undefined ? '{}' : 'json' in request.body ? jsonText(request.body.json) : request.body.text);

// ---- values

/** Text that breaks other people's clients, or breaks rules a name must keep. */
export const malformedTexts: [string, string][] = [
  ['lone high surrogate', 'ab\ud800cd'],
  ['lone low surrogate', '\udc00'],
  ['high surrogate at the end', 'name\ud83d'],
  ['NUL', 'a\u0000b'],
  ['C0 control', 'a\u0001b'],
  ['ANSI escape', '\u001b[31mred'],
  ['DEL', 'a\u007fb'],
  ['C1 control (NEL)', 'a\u0085b'],
  ['line separator', 'a\u2028b'],
  ['U+202E right-to-left override', 'abc\u202Egnp.exe'],
  ['bidi isolate', '\u2066x\u2069'],
  ['only zero-width characters', '\u200b\u200c\u200d'],
  ['only a BOM', '\ufeff'],
  ['only a Hangul filler', '\u3164'],
  ['only a soft hyphen', '\u00ad'],
  ['only spaces', '   '],
  ['CR LF', 'line1\r\nline2'],
  ['LF', 'a\nb'],
  ['CR', 'a\rb'],
  ['tab', 'a\tb'],
  ['decomposed (NFD)', 'Cafe\u0301'],
  ['combining marks', `a${'\u0301'.repeat(200)}`],
  ['padded', '  padded  '],
];

/** Values of the wrong JSON type for a field. */
const wrongTypes: [string, unknown][] = [
  ['number', 123], ['boolean', true], ['null', null], ['empty array', []], ['empty object', {}],
  ['array of the string', ['x']], ['operator object', { $ne: '' }], ['float', 1.5],
];

const numberEdges = (schema: JsonSchema): [string, unknown][] => {
  const edges: [string, unknown][] = [
    ['0', 0], ['-1', -1], ['2**53', 2 ** 53], ['-(2**53)', -(2 ** 53)], ['1e21', 1e21], ['1.5', 1.5], ['-0', rawJson('-0')],
    ['"NaN" as a string', 'NaN'], ['number as a string', '1'], ['1e400 (Infinity)', rawJson('1e400')], ['-1e400', rawJson('-1e400')],
    ['1E2', rawJson('1E2')], ['9007199254740993', rawJson('9007199254740993')], ['0.1e1', rawJson('0.1e1')],
  ];
  if (typeof schema.maximum === 'number') edges.push(['maximum', schema.maximum], ['maximum + 1', schema.maximum + 1]);
  if (typeof schema.minimum === 'number') edges.push(['minimum', schema.minimum], ['minimum - 1', schema.minimum - 1]);
  return edges;
};

/** Query parameter values around a number's edges. */
const numberTexts = (schema: JsonSchema): string[] => [
  '0', '-1', '1.5', '2e1', 'abc', '', 'NaN', 'Infinity', '-Infinity', '9007199254740992', '1e21', ' 5', '5 ', '0x10', '+5', '٣', '1,2', '00001', '-0',
  ...(typeof schema.maximum === 'number' ? [String(schema.maximum), String(schema.maximum + 1)] : ['100', '101']),
  ...(typeof schema.minimum === 'number' ? [String(schema.minimum), String(schema.minimum - 1)] : []),
];

/** Mutated values of one string field (secrets keep the recognisable prefix, so an echo is caught). */
function stringValues(document: OpenApiDocument, schema: JsonSchema): [string, unknown][] {
  const { core, secret } = describeSchema(document, schema);
  const mark = (text: string) => (secret ? `${secretPrefix}${text}` : text);
  const values: [string, unknown][] = [];
  const max = typeof core.maxLength === 'number' ? core.maxLength : undefined;
  const min = typeof core.minLength === 'number' ? core.minLength : 0;
  if (max !== undefined) {
    values.push(['maxLength + 1', mark('x'.repeat(Math.max(0, max + 1 - (secret ? secretPrefix.length : 0))))]);
    values.push(['maxLength with an astral character last', mark(`${'x'.repeat(Math.max(0, max - 1 - (secret ? secretPrefix.length : 0)))}😀`)]);
  }
  values.push(['oversized (100,000 characters)', mark('x'.repeat(100_000))]);
  if (min > 0) values.push(['minLength - 1', secret && min - 1 >= secretPrefix.length ? mark('y'.repeat(min - 1 - secretPrefix.length)) : 'y'.repeat(min - 1)]);
  for (const [label, text] of malformedTexts) values.push([label, mark(text)]);
  if (Array.isArray(core.enum)) {
    const first = String(core.enum[0]);
    values.push(['enum value in upper case', first.toUpperCase()], ['unknown enum value', 'superuser'], ['enum value padded', ` ${first} `], ['empty string', '']);
  }
  if (core.format === 'uuid') {
    values.push(['not a uuid', 'not-a-uuid'], ['nil uuid', '00000000-0000-0000-0000-000000000000'], ['max uuid', 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
      ['uuid in braces', '{0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b}'], ['uuid without dashes', '0193a5e27c1a7b3e9f001c2d3e4f5a6b'],
      ['uuid of version 0', '0193a5e2-7c1a-0b3e-9f00-1c2d3e4f5a6b'], ['uuid with a tail', '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6bx'],
      ['upper-case uuid of tenant B', '⟦upper:user:B.member⟧'], ['uuid of tenant B', '⟦user:B.owner⟧']);
  }
  if (core.format === 'email') {
    values.push(['email without a domain', 'a@b'], ['not an email', 'no-at-sign'], ['email without a local part', '@x.test'],
      ['email padded and upper case (valid)', ' Fuzz-Padded@Example.TEST '], ['email of 255+ characters', `${'a'.repeat(250)}@x.test`],
      ['two @', 'a@b@c.test'], ['internationalised email', 'ünï@exämple.test'], ['email of tenant B in upper case', '⟦upper:email:B.owner⟧'],
      ['email with a NUL', 'a\u0000@x.test'], ['email with a lone surrogate', 'a\ud800@x.test']);
  }
  if (typeof core.pattern === 'string') values.push(['against the pattern', mark('Not/Allowed ?')]);
  return values;
}

function fieldValueMutations(document: OpenApiDocument, field: string, schema: JsonSchema, set: (request: FuzzRequest, value: unknown) => FuzzRequest, where: string): Mutation[] {
  const { core, types } = describeSchema(document, schema);
  const values: [string, unknown][] = [...wrongTypes];
  if (types.has('string') || typeof core.format === 'string' || Array.isArray(core.enum)) values.push(...stringValues(document, schema));
  if (types.has('integer') || types.has('number')) values.push(...numberEdges(core));
  if (types.has('boolean')) values.push(['string "true"', 'true'], ['number 1', 1]);
  return values.map(([label, value]) => mutation(`${where}.${field}: ${label}`, (request) => set(request, value)));
}

// ---- crafted cursors (resolved by the world: `⟦cursor:<transform>⟧`)

export const cursorTransforms = [
  'real', 'foreign', 'listName', 'listNameNumber', 'extraTopKey', 'extraKey', 'dropKey', 'numberValue', 'otherPartition', 'otherPartitionB', 'otherTableKey',
  'huge', 'wrongPrefix', 'nestedValue', 'nullValue', 'emptyValue', 'loneSurrogate', 'topArray', 'topNull', 'topString', 'topNumber',
  'notJson', 'garbage', 'padded', 'plusSlash', 'empty', 'tooLong', 'unicode', 'afterEverything', 'protoKey',
] as const;
export type CursorTransform = (typeof cursorTransforms)[number];

// ---- headers

const ifMatchValues = [
  '9007199254740992', '"9007199254740992"', 'W/"x"', '"x"', '1, 2, 3', '*', '', ' ', '-1', '0', '1.5', '1e3', '+1', '٣',
  `"${'x'.repeat(3000)}"`, Array.from({ length: 500 }, (_, index) => String(index)).join(','), '"⟦id:resource⟧.v1", "⟦id:resource⟧.v2"',
  'W/⟦etag:current⟧', '⟦etag:current⟧, *', '⟦etag:stale⟧', '"⟦user:B.owner⟧.v1"', '⟦version:current⟧', '"⟦id:resource⟧.v2147483648"',
  ',', '""', '"a"b"', 'W/', '*, *',
];
const ifNoneMatchValues = ['*', 'W/"x"', '"x"', '⟦etag:current⟧', 'W/⟦etag:current⟧', `"${'y'.repeat(3000)}"`, ',', '⟦etag:current⟧, "x"'];
const contentTypes = [
  'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json',
  'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/merge-patch+json', 'application/jsonp', 'json', '*/*', 'application/',
];
const authorizations = [
  'Bearer', 'Bearer ', 'bearer ⟦token:caller⟧', 'Bearer  ⟦token:caller⟧', 'Basic YTpi', 'Bearer ⟦token:caller⟧.x', 'Bearer ⟦token:caller⟧, Bearer ⟦token:caller⟧',
  `Bearer ${'a'.repeat(4000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'Bearer ⟦token:S⟧', 'Token ⟦token:caller⟧',
];

// ---- path segments, sent as they are

const rawSegments: [string, string][] = [
  ['malformed %-escape', '%zz'], ['lone %', '%'], ['truncated %-escape', '%2'], ['%2e%2e', '%2e%2e'], ['..', '..'], ['.', '.'], ['%2e', '%2e'],
  ['encoded slash', '%2F'], ['encoded slash inside', 'a%2Fb'], ['encoded ../', '..%2F..%2Fhealth'], ['encoded NUL', '%00'],
  ['invalid UTF-8 (lone surrogate)', '%ED%A0%80'], ['overlong UTF-8', '%C0%AF'], ['encoded U+202E', '%E2%80%AE'], ['encoded space', '%20'],
  ['encoded ?', '%3F'], ['encoded #', '%23'], ['encoded %', '%25'], ['matrix parameter', 'x;y=1'], ['upper-case uuid', '⟦upper:param⟧'],
  ['uuid with a trailing space', '⟦param⟧%20'], ['double-encoded', '%252e%252e'], ['unicode', '%C3%A9t%C3%A9'],
  ['3,000 characters', 'x'.repeat(3000)], ['11,000 characters', 'x'.repeat(11_000)], ['empty segment', ''],
];

// ---- whole bodies

const bodyTexts: [string, (request: FuzzRequest) => string][] = [
  ['empty body', () => ''], ['only whitespace', () => '   \n'], ['truncated JSON', () => '{'], ['trailing comma', () => '{"a":1,}'],
  ['missing value', () => '{"a":}'], ['single quotes', () => "{'a':1}"], ['BOM before the JSON', (request) => `\ufeff${bodyText(request)}`],
  ['text after the JSON', (request) => `${bodyText(request)} trailing`], ['JSON null', () => 'null'], ['JSON string', () => '"x"'],
  ['JSON number', () => '0'], ['JSON true', () => 'true'], ['JSON array', () => '[]'], ['array of the body', (request) => `[${bodyText(request)}]`],
  ['duplicate key, second wins', (request) => bodyText(request).replace(/^\{/, '{"__dup":1,').replace(/\}$/, ',"__dup":2}')],
  ['__proto__ key', (request) => bodyText(request).replace(/^\{/, '{"__proto__":{"is_superuser":true},')],
  ['constructor key', (request) => bodyText(request).replace(/^\{/, '{"constructor":{"prototype":{"x":1}},')],
  ['deep nesting (5,000 levels)', () => `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ['1.1 MB body', () => `{"x":"${'a'.repeat(1_100_000)}"}`],
  ['lone surrogate escape in a key', (request) => bodyText(request).replace(/^\{/, '{"\\ud800":1,')],
  ['invalid escape', () => '{"a":"\\x41"}'],
  ['NaN literal', () => '{"a":NaN}'],
];

const extraProperties: [string, string, unknown][] = [
  ['unknown property', 'x', 1], ['is_superuser', 'is_superuser', true], ['id', 'id', '0193a5e2-7c1a-7b3e-9f00-1c2d3e4f5a6b'],
  ['version', 'version', 99], ['role', 'role', 'owner'], ['is_active', 'is_active', false], ['password_hash', 'password_hash', 'x'],
  ['empty property name', '', 1], ['1,000-character property name', 'k'.repeat(1000), 1], ['workspace_id of tenant B', 'workspace_id', '⟦ws:B.main⟧'],
];

/** Every mutation that applies to one route, weighted. */
export function mutationsOf(inputs: RouteInputs, document: OpenApiDocument): fc.Arbitrary<Mutation> {
  const { route } = inputs;
  const arbitraries: { arbitrary: fc.Arbitrary<Mutation>; weight: number }[] = [];

  // body fields, one at a time
  const body = inputs.body;
  if (body) {
    const schema = describeSchema(document, body.schema).flat;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    const oneOfRequired = ((schema.oneOf ?? []) as JsonSchema[]).flatMap((branch) => (branch.required ?? []) as string[]);
    for (const [name, propertySchema] of Object.entries(properties)) {
      const set = (request: FuzzRequest, value: unknown) => withBody(request, (object) => { object[name] = value; });
      arbitraries.push(weighted(choose(fieldValueMutations(document, name, propertySchema, set, 'body')), 6));
      if (required.has(name) || oneOfRequired.includes(name)) {
        arbitraries.push(weighted(fc.constant(mutation(`body.${name}: missing`, (request) => withBody(request, (object) => { delete object[name]; }))), 1));
      }
    }
    if (oneOfRequired.length > 1) {
      arbitraries.push(weighted(fc.constant(mutation(`body: all of ${oneOfRequired.join(', ')} at once`, (request) => withBody(request, (object) => {
        for (const name of oneOfRequired) object[name] ??= name === 'email' ? '⟦email:A.member⟧' : '⟦user:A.member⟧';
      }))), 1));
    }
    arbitraries.push(weighted(choose(extraProperties.map(([label, name, value]) =>
      mutation(`body: extra property (${label})`, (request) => withBody(request, (object) => { object[name] = value; })))), 2));
    if (body.media === 'application/json') {
      arbitraries.push(weighted(choose(bodyTexts.map(([label, make]) => mutation(`body: ${label}`, (request) => ({ ...request, body: { text: make(request) } })))), 3));
      arbitraries.push(weighted(choose([
        mutation('body: {}', (request) => ({ ...request, body: { json: {} } })),
        ...wrongTypes.map(([label, value]) => mutation(`body: ${label} instead of an object`, (request) => ({ ...request, body: { json: value } }))),
      ]), 1));
    } else {
      arbitraries.push(weighted(choose([
        mutation('form: a field twice', (request) => ({ ...request, body: { text: `${formText(request)}&token=${secretPrefix}second-value-0123456789` } })),
        mutation('form: malformed %-escape', (request) => ({ ...request, body: { text: `${formText(request)}&%zz=%zz` } })),
        mutation('form: invalid UTF-8 in the password', (request) => ({ ...request, body: { text: formText(request).replace(/new_password=[^&]*/, `new_password=${encodeURIComponent(secretPrefix)}%ED%A0%80abcdefgh`) } })),
        mutation('form: JSON instead', (request) => ({ ...request, body: { text: bodyText(request) } })),
        mutation('form: empty', (request) => ({ ...request, body: { text: '' } })),
        mutation('form: no = signs', (request) => ({ ...request, body: { text: 'token&new_password&confirm_password' } })),
        mutation('form: 1.1 MB', (request) => ({ ...request, body: { text: `${formText(request)}&x=${'a'.repeat(1_100_000)}` } })),
        mutation('form: 11 MB (over the gateway limit)', (request) => ({ ...request, body: { text: `${formText(request)}&x=${'a'.repeat(11_000_000)}` } })),
      ]), 3));
    }
    arbitraries.push(weighted(choose([
      ...contentTypes.map((type) => mutation(`content-type: ${type}`, (request) => ({ ...request, contentType: type }))),
      mutation('content-type: missing', (request) => ({ ...request, contentType: null })),
    ]), 2));
  } else if (route.method !== 'GET') {
    arbitraries.push(weighted(choose([
      mutation('unexpected JSON body', (request) => ({ ...request, body: { text: '{"x":1,"is_superuser":true}' }, contentType: 'application/json' })),
      mutation('unexpected malformed body', (request) => ({ ...request, body: { text: '{' }, contentType: 'application/json' })),
      mutation('unexpected body without content-type', (request) => ({ ...request, body: { text: 'garbage' }, contentType: null })),
    ]), 1));
  } else {
    arbitraries.push(weighted(choose([
      mutation('GET with a JSON body', (request) => ({ ...request, body: { text: '{"x":1}' }, contentType: 'application/json' })),
      mutation('GET with a malformed body', (request) => ({ ...request, body: { text: '{' }, contentType: 'application/json' })),
    ]), 1));
  }

  // path parameters: each one sent raw
  for (const field of inputs.path) {
    arbitraries.push(weighted(choose(rawSegments.map(([label, segment]) => mutation(`path.${field.name}: ${label}`, (request) => ({
      ...request, rawParams: { ...request.rawParams, [field.name]: segment.replace('⟦param⟧', request.params[field.name] ?? '').replace('⟦upper:param⟧', `⟦upper:${request.params[field.name] ?? ''}⟧`) },
    })))), 5));
    arbitraries.push(weighted(choose(fieldValueMutations(document, field.name, field.schema, (request, value) => ({
      ...request, params: { ...request.params, [field.name]: typeof value === 'string' ? value : JSON.stringify(value) },
    }), 'path')), 2));
  }

  // query parameters
  for (const field of inputs.query) arbitraries.push(weighted(queryMutations(document, field), field.name === 'cursor' ? 6 : 3));
  if (inputs.query.length) {
    arbitraries.push(weighted(choose([
      mutation('query: page=2 (refused)', (request) => ({ ...request, query: [...request.query, ['page', '2']] })),
      ...inputs.query.map((field) => mutation(`query.${field.name}: twice`, (request) => ({ ...request, query: [...request.query, [field.name, request.query.find(([name]) => name === field.name)?.[1] ?? '1']] }))),
      ...inputs.query.filter((field) => field.required).map((field) => mutation(`query.${field.name}: missing`, (request) => ({ ...request, query: request.query.filter(([name]) => name !== field.name) }))),
    ]), 2));
  }
  arbitraries.push(weighted(choose([
    mutation('query: unknown parameter', (request) => ({ ...request, query: [...request.query, ['x', '1']] })),
    mutation('query: __proto__', (request) => ({ ...request, query: [...request.query, ['__proto__', '1'], ['constructor', 'x']] })),
    mutation('query: malformed %-escape', (request) => ({ ...request, rawQuery: 'limit=%zz&cursor=%' })),
    mutation('query: invalid UTF-8', (request) => ({ ...request, rawQuery: 'cursor=%ED%A0%80&token=%ED%A0%80' })),
  ]), 1));

  // headers
  arbitraries.push(weighted(choose(ifMatchValues.map((value) => mutation(`If-Match: ${value.slice(0, 40)}`, (request) => ({ ...request, headers: { ...request.headers, 'if-match': value } })))), route.conditional ? 4 : 1));
  if (route.method === 'GET') {
    arbitraries.push(weighted(choose(ifNoneMatchValues.map((value) => mutation(`If-None-Match: ${value.slice(0, 40)}`, (request) => ({ ...request, headers: { ...request.headers, 'if-none-match': value } })))), 1));
  }
  arbitraries.push(weighted(choose([
    ...authorizations.map((value) => mutation(`Authorization: ${value.slice(0, 40)}`, (request) => ({ ...request, headers: { ...request.headers, authorization: value } }))),
    ...(['none', 'forged', 'refreshAsBearer'] as CallerKey[]).map((caller) => mutation(`caller: ${caller}`, (request) => ({ ...request, caller }))),
  ]), route.access === 'public' ? 1 : 2));
  arbitraries.push(weighted(choose([
    mutation('header of 11,000 bytes', (request) => ({ ...request, headers: { ...request.headers, 'x-fuzz': 'h'.repeat(11_000) } })),
    mutation('Accept: text/html', (request) => ({ ...request, headers: { ...request.headers, accept: 'text/html' } })),
    mutation('Accept: application/xml', (request) => ({ ...request, headers: { ...request.headers, accept: 'application/xml' } })),
    mutation('Origin of another site', (request) => ({ ...request, headers: { ...request.headers, origin: 'https://evil.example' } })),
    mutation('X-Forwarded-For', (request) => ({ ...request, headers: { ...request.headers, 'x-forwarded-for': '203.0.113.7' } })),
  ]), 1));

  // methods the path does not have
  const declared = new Set(routeTable.filter((other) => other.path === route.path).map((other) => other.method));
  const others = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => !declared.has(method as never));
  if (others.length) arbitraries.push(weighted(choose(others.map((method) => mutation(`method ${method}`, (request) => ({ ...request, method })))), 1));

  return fc.oneof(...arbitraries);
}

function formText(request: FuzzRequest): string {
  const json = request.body && 'json' in request.body ? request.body.json : {};
  return new URLSearchParams(Object.entries((json ?? {}) as Record<string, unknown>).map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)])).toString();
}

function queryMutations(document: OpenApiDocument, field: InputField): fc.Arbitrary<Mutation> {
  const set = (value: string) => (request: FuzzRequest): FuzzRequest => ({
    ...request, query: [...request.query.filter(([name]) => name !== field.name), [field.name, value]],
  });
  const { core, types, secret } = describeSchema(document, field.schema);
  const values: [string, string][] = [];
  if (field.name === 'cursor') for (const transform of cursorTransforms) values.push([`crafted (${transform})`, `⟦cursor:${transform}⟧`]);
  if (types.has('number') || types.has('integer')) for (const text of numberTexts(core)) values.push([JSON.stringify(text), text]);
  if (types.has('string')) {
    for (const [label, value] of stringValues(document, field.schema)) {
      if (typeof value === 'string' && value.length <= 20_000) values.push([label, value]);
    }
  }
  if (secret) values.push(['secret of 5,000 characters', `${secretPrefix}${'s'.repeat(5000)}`]);
  return choose(values.map(([label, value]) => mutation(`query.${field.name}: ${label}`, set(value))));
}
