// Turns zod issues into the `errors[]` of a 422: a location such as `body.name` or
// `query.limit`, and a message a client developer can act on (zod/mini's default is a bare
// "Invalid input", so every issue code gets its own wording here).
import type * as z from 'zod/mini';
import type { FieldError } from '../domain/errors.js';
import { isSecret } from '../contract/text.js';

export type InputPart = 'path' | 'query' | 'body';

function locationOf(part: InputPart, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (location, key) => (typeof key === 'number' ? `${location}[${key}]` : `${location}.${String(key)}`),
    part,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function messageFor(issue: z.core.$ZodIssue, received: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return received === undefined ? 'is required' : `must be ${article(issue.expected)}, not ${describe(received)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'} long`
        : issue.origin === 'array' || issue.origin === 'set'
          ? `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`
          : `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters long`
        : issue.origin === 'array' || issue.origin === 'set'
          ? `must have at most ${issue.maximum} items`
          : `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    case 'invalid_format':
      // a check of ours says what it wants (`must be an email address`); zod's own say `Invalid input`
      if (issue.message && issue.message !== 'Invalid input') return issue.message;
      return issue.format === 'regex' ? `must match ${issue.pattern ?? 'the expected pattern'}` : `must be a valid ${formatName(issue.format)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'unrecognized_keys':
      return 'is not an allowed property';
    case 'invalid_union':
      return 'does not match any of the allowed shapes';
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_element':
      return 'has an invalid element';
    case 'custom':
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'is invalid';
  }
}

// the formats of zod types the contract uses (URLs, addresses and dates are checked by text.ts with their own messages)
const formatNames: Record<string, string> = { uuid: 'UUID', datetime: 'RFC 3339 date-time (2026-01-31T12:00:00Z)' };
const formatName = (format: string) => formatNames[format] ?? `${format} value`;
const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

type SchemaDef = { type: string; shape?: Record<string, z.ZodMiniType>; innerType?: z.ZodMiniType; in?: z.ZodMiniType; element?: z.ZodMiniType };

/** The schema that validates the value at `path` inside `schema` (objects, arrays, wrappers), if any. */
function schemaAt(schema: z.ZodMiniType | undefined, path: readonly PropertyKey[]): z.ZodMiniType | undefined {
  let current = schema;
  for (let index = 0; current && index <= path.length; ) {
    const def = (current as unknown as { _zod: { def: SchemaDef } })._zod.def;
    if (def.innerType) current = def.innerType; // optional, nullable, default
    else if (def.type === 'pipe') current = def.in;
    else if (index === path.length) return current;
    else if (def.type === 'object') current = def.shape?.[String(path[index++])];
    else if (def.type === 'array') (current = def.element), (index += 1);
    else return undefined;
  }
  return current;
}

const echoLimit = 100;

/**
 * Whether a rejected value may be shown back to the client: never a secret, nothing large, and
 * no text another client's JSON decoder would choke on.
 */
function echoable(value: unknown, schema: z.ZodMiniType | undefined): boolean {
  if (value === undefined || (typeof value === 'object' && value !== null)) return false;
  if (schema && isSecret(schema)) return false;
  if (typeof value !== 'string') return true;
  return value.length <= echoLimit && value.isWellFormed() && !/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/.test(value);
}

/** One field error per issue; an unknown property is reported at its own location. */
export function fieldErrors(part: InputPart, issues: readonly z.core.$ZodIssue[], input: unknown, schema?: z.ZodMiniType): FieldError[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ location: locationOf(part, [...issue.path, key]), message: 'is not an allowed property' }));
    }
    const received = valueAt(input, issue.path);
    const error: FieldError = { location: locationOf(part, issue.path), message: messageFor(issue, received) };
    if (echoable(received, schemaAt(schema, issue.path))) error.value = received;
    return [error];
  });
}
