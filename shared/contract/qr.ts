// QR images: a label for each scannable thing (items, locations, containers). The code encodes the
// PWA's link to it, `{APP_URL}/w/{workspace_id}/s/{short_code}`, so any phone camera opens the app
// on it. Answers are images, not JSON (no examples to give).
import * as z from 'zod/mini';
import { EntityParams } from './catalog.js';
import { route } from './route.js';
import { queryInteger } from './common.js';

/** Pixels per side: small enough to stay a few KB, large enough to print. */
export const qrSizes = { min: 64, max: 1024, default: 256 } as const;

export const QrQuery = /* @__PURE__ */ z.object({
  format: z._default(z.enum(['png', 'svg']), 'png'),
  size: queryInteger(qrSizes.min, qrSizes.max, qrSizes.default),
});

const description = (noun: string) => [
  `The QR code of this ${noun} encodes \`{APP_URL}/w/{workspace_id}/s/{short_code}\`: a phone camera opens the app on it, and the app resolves the code with \`GET /workspaces/{workspace_id}/lookup/{short_code}\`.`,
  `\`format=png\` (default) answers \`image/png\`, \`size\` × \`size\` pixels (default ${qrSizes.default}, ${qrSizes.min}–${qrSizes.max}): black on white, error correction level M, a quiet zone of 4 modules, a whole number of pixels per module with the rest of the margin spread evenly (a code too large for \`size\` grows the image to one pixel per module).`,
  'A PNG has no printed caption (drawing text would need a font in the server): the short code travels in a `tEXt` chunk with the keyword `Short code`; printed labels with the code in words are the job of the label sheets (PDF).',
  '`format=svg` answers `image/svg+xml` `size` pixels wide, scalable without loss: the modules in one `<path>`, and the short code printed under the code as text, for a person to type.',
  'Archived things keep their code. 404 `NOT_FOUND` when the workspace has no such thing.',
].join('\n\n');

function qrRoute<const I extends string>(id: I, segment: string, noun: string) {
  return route({
    id, method: 'GET', path: `/workspaces/{workspace_id}/${segment}/{id}/qr`, domain: 'qr', access: 'viewer',
    summary: `The QR code of a ${noun}, as PNG or SVG`, description: description(noun),
    params: EntityParams, query: QrQuery, status: 200, produces: ['image/png', 'image/svg+xml'], errors: ['NOT_FOUND'],
  });
}

export const getItemQr = /* @__PURE__ */ qrRoute('getItemQr', 'items', 'item');
export const getLocationQr = /* @__PURE__ */ qrRoute('getLocationQr', 'locations', 'location');
export const getContainerQr = /* @__PURE__ */ qrRoute('getContainerQr', 'containers', 'container');
