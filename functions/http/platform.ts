// Platform routes: probes and the API's own documentation.
import * as contract from '../../shared/contract/platform.js';
import { httpRoute, rawReply, Reply } from '../../shared/http/route.js';
import { checkReadiness } from '../../shared/domain/platform/readiness.js';
import { apiDocument } from '../../shared/domain/platform/document.js';
import { docsPage, docsPageHtml, readDocsAsset } from '../../shared/domain/platform/docs-page.js';

export const health = /* @__PURE__ */ httpRoute(contract.health, () => ({ status: 'ok' as const }));

export const live = /* @__PURE__ */ httpRoute(contract.live, () => ({ status: 'ok' as const }));

export const ready = /* @__PURE__ */ httpRoute(contract.ready, async () => {
  const readiness = await checkReadiness();
  if (readiness.status === 'ok') return readiness;
  const failed = Object.entries(readiness.dependencies).filter(([, dependency]) => dependency.status === 'failed').map(([name]) => name);
  // A problem body like every other error, with the per-dependency report as an extension member.
  return new Reply(503, {
    type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'NOT_READY',
    detail: `Not ready: ${failed.join(', ')} did not answer.`, dependencies: readiness.dependencies,
  }, { contentType: 'application/problem+json' });
});

export const openapi = /* @__PURE__ */ httpRoute(contract.openapi, async () => (await apiDocument()) as never);

export const docs = /* @__PURE__ */ httpRoute(contract.docs, () => rawReply(docsPageHtml, 'text/html; charset=utf-8'), { page: docsPage });

export const docsAsset = /* @__PURE__ */ httpRoute(contract.docsAsset, async ({ params }) => {
  const asset = await readDocsAsset(params.file);
  return rawReply(asset.body, asset.contentType, { 'cache-control': 'public, max-age=86400' });
});
