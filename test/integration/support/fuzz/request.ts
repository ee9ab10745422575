// One fuzz request, as generated: symbolic (values may name things of the seeded world as
// `⟦ref⟧`, resolved when the request is sent, so a request generated before the world changed
// still means "the caller's workspace"), printable (it is fast-check's counterexample) and
// serialisable to exactly the bytes that are sent.

/** Who sends the request: a principal of the world, or nobody, or a broken credential. */
export type CallerKey =
  | 'none' | 'A.owner' | 'A.viewer' | 'A.member' | 'S'
  /** A.owner's access token with a wrong signature */
  | 'forged'
  /** A.owner's refresh token presented as a bearer token */
  | 'refreshAsBearer';

export const principalCallers = ['A.owner', 'A.viewer', 'A.member', 'S'] as const;
export type PrincipalKey = (typeof principalCallers)[number];

/** A JSON value sent as this literal text instead (numbers JSON.stringify cannot write: `1e400`). */
export interface RawJson {
  $raw: string;
}
export const rawJson = (text: string): RawJson => ({ $raw: text });
const isRawJson = (value: unknown): value is RawJson =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as RawJson).$raw === 'string';

export interface FuzzRequest {
  route: string;
  method: string;
  /** the route's path template (for reading; the path sent is built from it and `params`) */
  path: string;
  caller: CallerKey;
  /** path parameter values (decoded; `⟦ref⟧` allowed), percent-encoded when sent … */
  params: Record<string, string>;
  /** … except these, sent as they are (malformed escapes, dot segments, encoded slashes) */
  rawParams?: Record<string, string>;
  /** query pairs in order (repeats allowed); values are encoded when sent */
  query: [string, string][];
  /** appended to the query string as is */
  rawQuery?: string;
  headers: Record<string, string>;
  /** the body as a JSON value (may hold RawJson), or the exact text */
  body?: { json: unknown } | { text: string };
  /** content-type override; `null` sends a body without one */
  contentType?: string | null;
  /** what was done to the valid request (absent: the valid request itself) */
  mutation?: string;
}

/** JSON text of a value; RawJson parts are written as their literal text; lone surrogates stay `\ud800` escapes. */
export function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, inner: unknown) => {
    if (isRawJson(inner)) {
      raws.push(inner.$raw);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return inner;
  });
  if (text === undefined) return '';
  // JSON.stringify writes U+0001 as \u0001, so the marker cannot collide with generated text
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_match, index: string) => raws[Number(index)]!);
}

/** Every string inside a value (for refs, secrets and what the caller itself sent). */
export function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) {
    into.push(key);
    stringsIn(inner, into);
  }
  return into;
}

/** The value with every string mapped (refs resolved). */
export function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (isRawJson(value)) return value;
  if (value && typeof value === 'object') {
    // own "__proto__" keys (from JSON text) survive: build with defineProperty
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) Object.defineProperty(copy, key, { value: mapStrings(inner, map), enumerable: true, writable: true, configurable: true });
    return copy;
  }
  return value;
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** A short, readable line for logs and counterexamples. */
export function describeRequest(request: FuzzRequest): string {
  const params = { ...request.params, ...request.rawParams };
  const body = request.body === undefined ? '' : ` body=${clip('json' in request.body ? jsonText(request.body.json) : JSON.stringify(request.body.text))}`;
  const headers = Object.keys(request.headers).length ? ` headers=${clip(JSON.stringify(request.headers))}` : '';
  const query = request.query.length || request.rawQuery ? ` query=${clip(JSON.stringify(request.query))}${request.rawQuery ? `+${clip(request.rawQuery)}` : ''}` : '';
  return `${request.route} ${request.method} ${request.path} as ${request.caller} params=${clip(JSON.stringify(params))}${query}${headers}${body}` +
    `${request.contentType !== undefined ? ` content-type=${JSON.stringify(request.contentType)}` : ''} [${request.mutation ?? 'valid'}]`;
}
