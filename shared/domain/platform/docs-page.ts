// The reference page at /docs: swagger-ui, served by the API itself so it works with no network.
// The assets ship beside the bundle (DOCS_ASSETS_DIR) and are read on first use, not at import,
// so they cost nothing to the cold start of any other route.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { config } from '../../config.js';
import { NotFound } from '../errors.js';
import type { PageOptions } from '../../http/route.js';
import { pageOptions } from '../../http/html.js';

export const docsPageHtml = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Home Warehouse API</title>
  <link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="docs/assets/swagger-ui-bundle.js"></script>
  <script src="docs/assets/docs.js"></script>
</body>
</html>
`;

// Kept out of the page so the content security policy can forbid inline scripts.
const startScript = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#reference', deepLinking: true, tryItOutEnabled: false });
});
`;

/**
 * The reference page's content security policy: its own scripts and styles (swagger-ui sets inline
 * styles), same-origin fetches of the document; it must also work over plain http on a laptop.
 */
export const docsPage: PageOptions = /* @__PURE__ */ pageOptions(
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
);

export type DocsAsset = 'swagger-ui.css' | 'swagger-ui-bundle.js' | 'docs.js';

const cache = new Map<DocsAsset, string>();

export async function readDocsAsset(file: DocsAsset): Promise<{ body: string; contentType: string }> {
  const contentType = file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
  if (file === 'docs.js') return { body: startScript, contentType };
  let body = cache.get(file);
  if (body === undefined) {
    if (!config.docsAssetsDir) throw NotFound('The reference page assets are not installed here (DOCS_ASSETS_DIR).');
    body = await readFile(join(config.docsAssetsDir, file), 'utf8');
    cache.set(file, body);
  }
  return { body, contentType };
}
