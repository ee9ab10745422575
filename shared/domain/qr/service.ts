// QR images of scannable things (items, locations, containers). The code encodes the PWA's link
// `{APP_URL}/w/{workspace_id}/s/{short_code}`: any phone camera opens the app on the thing, and
// the app resolves the code with GET /lookup/{short_code}.
import type { WorkspaceScope } from '../../http/caller.js';
import { config } from '../../config.js';
import * as keys from '../../db/keys.js';
import { getEntity } from '../catalog/repository.js';
import { NotFound } from '../errors.js';
import { qrMatrix } from './matrix.js';
import { pngOf } from './png.js';
import { svgOf } from './svg.js';

export type ScannableType = 'ITEM' | 'LOCATION' | 'CONTAINER';

export interface QrOptions {
  format: 'png' | 'svg';
  /** pixels per side (the SVG's width; its height adds the caption) */
  size: number;
}

export interface QrImage {
  body: Uint8Array | string;
  contentType: string;
}

/** The `tEXt` keyword of the PNG that carries the short code (a PNG has no caption: see the contract). */
export const shortCodeKeyword = 'Short code';

const nouns: Record<ScannableType, string> = { ITEM: 'item', LOCATION: 'location', CONTAINER: 'container' };

/** What the code of a thing encodes. */
export function scanUrl(workspaceId: string, shortCode: string): string {
  return `${config.appUrl.replace(/\/+$/, '')}/w/${workspaceId}/s/${encodeURIComponent(shortCode)}`;
}

/** For httpRoute's `prefetch` option: the entity is read with the authorisation, in one BatchGetItem. */
export const prefetchOf = (type: ScannableType) => (params: Record<string, string>) => keys.entity(params.workspace_id!, type, params.id!);

async function shortCodeOf(scope: WorkspaceScope, type: ScannableType, id: string): Promise<string> {
  const prefetched = scope.prefetched;
  const record = prefetched !== undefined && (prefetched === null || prefetched.id === id)
    ? (prefetched?.entity === type ? prefetched : undefined)
    : await getEntity({ type }, scope.workspace.id, id);
  const shortCode = record?.short_code;
  if (typeof shortCode !== 'string' || shortCode === '') throw NotFound(`No ${nouns[type]} with that id in this workspace.`);
  return shortCode;
}

/** The QR image of one item, location or container of the scope's workspace; NOT_FOUND when it has none there. */
export async function qrImage(scope: WorkspaceScope, type: ScannableType, id: string, options: QrOptions): Promise<QrImage> {
  const shortCode = await shortCodeOf(scope, type, id);
  const matrix = qrMatrix(scanUrl(scope.workspace.id, shortCode));
  return options.format === 'svg'
    ? { body: svgOf(matrix, options.size, shortCode), contentType: 'image/svg+xml; charset=utf-8' }
    : { body: pngOf(matrix, options.size, { [shortCodeKeyword]: shortCode }), contentType: 'image/png' };
}
