// How fuzz requests travel. Most go through support/api.ts's `call` (fetch), which also checks the
// answer against the served OpenAPI document. What fetch cannot send (dot segments and malformed
// escapes in the path, which fetch's URL parser resolves or rewrites; a body on a GET; a body without
// content-type; repeated headers) goes over node:http exactly as written, and its answer is checked
// against the document here, with the same check.
import { apiUrl, call } from '../api.js';
import { conformanceProblems } from '../conformance.js';
import { sendOnWire, type WireAnswer, type WireRequest } from '../raw-http.js';

export interface Answer extends WireAnswer {
  /** the parsed body when it was JSON */
  json?: any;
}

/** A fuzz request as it goes on the wire; the target is percent-encoded as generated. */
export type Outgoing = WireRequest;

/** One request over node:http, exactly as given (no normalisation of the target), fresh connection. */
export async function rawSend(outgoing: Outgoing): Promise<Answer> {
  const answer = await sendOnWire(apiUrl(), outgoing);
  let json: any;
  if (/json/i.test(answer.headers.get('content-type') ?? '') && answer.text) {
    try {
      json = JSON.parse(answer.text);
    } catch {
      json = undefined; // a broken body is the oracles' finding, not the transport's
    }
  }
  return { ...answer, json };
}

/** Answers the gateway makes before any route runs, which the document describes in prose only. */
const gatewayCodes = new Set(['ROUTE_NOT_FOUND', 'METHOD_NOT_ALLOWED', 'MALFORMED_REQUEST']);

/** True when a path has a segment a URL parser would resolve away (`.`, `..`, `%2e%2e`). */
export const hasDotSegment = (target: string) =>
  target.split('?')[0]!.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));

/** The same conformance check `call` makes, for an answer that did not come through `call`. */
export async function conformanceOf(outgoing: Outgoing, answer: Answer): Promise<string[]> {
  const code = answer.json?.code ?? answer.headers.get('x-problem-code');
  if (gatewayCodes.has(code)) return [];
  // a URL cannot hold a dot segment: the document's operation for such a path is not defined
  if (hasDotSegment(outgoing.target)) return [];
  const url = new URL(apiUrl() + outgoing.target);
  return conformanceProblems({ method: outgoing.method, url, status: answer.status, headers: answer.headers, text: answer.text });
}

/**
 * `call` throws on an undocumented answer before handing it back; to still show what was answered,
 * the fetch it makes is watched and the last answer kept (a clone, so `call` reads it as usual).
 */
let lastFetched: Promise<Answer> | undefined;
let watching = false;
function watchFetch() {
  if (watching) return;
  watching = true;
  const original = globalThis.fetch;
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const response = await original(...args);
    const copy = response.clone();
    lastFetched = copy.text().then((text) => {
      let json: any;
      try {
        json = /json/i.test(copy.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: copy.status, headers: copy.headers, text, json };
    });
    return response;
  };
}

/** The marker `call` puts in the failure it throws for an undocumented answer. */
const undocumented = 'answers not described by the OpenAPI document';

/**
 * Sends through `call` (fetch + the document check). An undocumented answer comes back as
 * `problems` instead of a thrown assertion, so the fuzzer can say which request caused it.
 */
export async function sendThroughCall(outgoing: Outgoing): Promise<{ answer?: Answer; problems: string[] }> {
  watchFetch();
  lastFetched = undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(outgoing.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  try {
    const response = await call(outgoing.method, outgoing.target, {
      headers, ...(outgoing.body !== undefined ? { rawBody: outgoing.body } : {}),
    });
    return { answer: { status: response.status, headers: response.headers, text: response.text, json: response.json }, problems: [] };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (message.includes(undocumented)) {
      const actual = (error as { actual?: unknown }).actual;
      const answer = await (lastFetched as Promise<Answer> | undefined)?.catch(() => undefined);
      return { ...(answer ? { answer } : {}), problems: Array.isArray(actual) && actual.length ? actual.map(String) : [message] };
    }
    throw error;
  }
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is written as the three
 * bytes UTF-8 would give it (WTF-8): invalid UTF-8 on the wire, which is the point.
 */
export function encodeSegment(value: string): string {
  let result = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      result += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else result += encodeURIComponent(char);
  }
  return result;
}
