// The OpenAPI document GET /openapi.json serves. It is data about the route table, the same for
// every request of a deployment: infra/bundle.ts writes it beside the route's bundle when the
// package is built, and the Lambda reads that file once. Run from the sources (the local runtime,
// tests) it is generated from the route table on first use. So the route's bundle carries neither
// the contract of every route nor the generator (its cold start is the brief floor's).
import { readFile } from 'node:fs/promises';

/** The file, beside index.mjs in the route's package. */
export const documentFileName = 'openapi.json';

export const apiVersion = '1.0.0';

declare global {
  /** `true` in the bundle of the document's route (an esbuild define in infra/bundle.ts); unset when run from the sources. */
  var HW_PREBUILT_DOCUMENT: boolean | undefined;
}

/** The document built from the route table (the build and the sources call this). */
export async function generatedDocument(): Promise<unknown> {
  const [{ openApiDocument }, { routeTable }] = await Promise.all([import('../../contract/openapi.js'), import('../../contract/index.js')]);
  return openApiDocument(routeTable, { version: apiVersion });
}

async function prebuiltDocument(): Promise<unknown> {
  return JSON.parse(await readFile(new URL(`./${documentFileName}`, import.meta.url), 'utf8')) as unknown;
}

let document: Promise<unknown> | undefined;

export function apiDocument(): Promise<unknown> {
  document ??= globalThis.HW_PREBUILT_DOCUMENT ? prebuiltDocument() : generatedDocument();
  return document;
}
