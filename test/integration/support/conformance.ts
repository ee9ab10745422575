// Every answer the integration tests receive through `call` is checked against the OpenAPI
// document the server itself serves: the status is documented for that operation, the media type
// is one the response declares, the body validates against its schema (Ajv, JSON Schema 2020-12,
// the document's own components), and the headers the document marks required are there. A route
// that answers something undocumented therefore fails its own tests, today's and every later one's.
// Counts are written per test file and summed by global-setup.ts at the end of the run.
import { appendFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { inject } from 'vitest';

type Json = Record<string, any>;

interface Operation {
  method: string;
  template: string;
  segments: string[];
  literals: number;
  responses: Record<string, Json>;
}

let loaded: Promise<{ operations: Operation[]; ajv: Ajv2020; document: Json }> | undefined;
const validators = new Map<string, ValidateFunction>();
export const conformanceCounts = { checked: 0, unrouted: 0, undocumented: 0 };

function load(apiUrl: string) {
  loaded ??= (async () => {
    const response = await fetch(`${apiUrl}/openapi.json`);
    const document = (await response.json()) as Json;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
    ajv.addSchema(document, 'openapi');
    const operations: Operation[] = [];
    for (const [template, methods] of Object.entries(document.paths as Record<string, Json>)) {
      const segments = template.split('/').filter(Boolean);
      for (const [method, operation] of Object.entries(methods)) {
        operations.push({ method: method.toUpperCase(), template, segments, literals: segments.filter((s) => !s.startsWith('{')).length, responses: operation.responses });
      }
    }
    return { operations, ajv, document };
  })();
  return loaded;
}

/** The operation API Gateway would route to: same method, every literal segment equal, most literals wins. */
function operationFor(operations: Operation[], method: string, pathname: string): Operation | undefined {
  const segments = pathname.split('/').filter(Boolean).map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  return operations
    .filter((operation) => operation.method === method && operation.segments.length === segments.length
      && operation.segments.every((template, index) => template.startsWith('{') || template === segments[index]))
    .sort((a, b) => b.literals - a.literals)[0];
}

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function resolve(document: Json, value: Json): Json {
  if (typeof value?.$ref !== 'string') return value;
  return (value.$ref as string).replace(/^#\//, '').split('/').reduce<Json>((node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

export interface Answer {
  method: string;
  url: URL;
  status: number;
  headers: Headers;
  text: string;
}

/** Problems of one answer against the document; `count: false` keeps it out of the run's tally (the check's own tests). */
export async function conformanceProblems(answer: Answer, options: { count?: boolean } = {}): Promise<string[]> {
  const before = { ...conformanceCounts };
  const problems = await check(answer);
  if (options.count === false) Object.assign(conformanceCounts, before);
  else if (problems.length > 0) conformanceCounts.undocumented += 1;
  return problems;
}

async function check(answer: Answer): Promise<string[]> {
  const apiUrl = inject('apiUrl').replace(/\/+$/, '');
  const { operations, ajv, document } = await load(apiUrl);
  const operation = operationFor(operations, answer.method, answer.url.pathname);
  if (!operation) {
    conformanceCounts.unrouted += 1;
    return [];
  }
  conformanceCounts.checked += 1;
  const where = `${answer.method} ${operation.template} → ${answer.status}`;
  const response = operation.responses[String(answer.status)] ?? operation.responses.default;
  if (!response) return [`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
  const problems: string[] = [];
  for (const [name, declared] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
    if (resolve(document, declared).required && !answer.headers.has(name)) problems.push(`${where}: required header ${name} missing`);
  }
  const content = (response.content ?? {}) as Record<string, Json>;
  if (answer.text === '') {
    if (Object.keys(content).length > 0 && answer.method !== 'HEAD') problems.push(`${where}: no body, but the document promises ${Object.keys(content).join(', ')}`);
    return problems;
  }
  const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(mediaType in content)) return [...problems, `${where}: media type ${mediaType || '(none)'} not documented (documented: ${Object.keys(content).join(', ') || 'no body'})`];
  if (!/json/.test(mediaType)) return problems;
  const ref = `openapi#/${pointer('paths', operation.template, operation.method.toLowerCase(), 'responses', String(answer.status) in operation.responses ? String(answer.status) : 'default', 'content', mediaType, 'schema')}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.getSchema(ref)!;
    if (!validate) return [...problems, `${where}: no schema at ${ref}`];
    validators.set(ref, validate);
  }
  if (!validate(JSON.parse(answer.text))) {
    problems.push(`${where}: body does not match its schema: ${ajv.errorsText(validate.errors, { separator: '; ' })} — body ${answer.text.slice(0, 500)}`);
  }
  return problems;
}

/** Adds this file's counts to the run's tally (summed and printed by global-setup.ts). */
export function recordConformanceCounts(): void {
  const file = inject('conformanceFile');
  if (file && conformanceCounts.checked + conformanceCounts.unrouted > 0) appendFileSync(file, `${JSON.stringify(conformanceCounts)}\n`);
}
