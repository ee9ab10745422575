// The label-sheet job: the things the request named, as they are now (name, short code, where
// they are), drawn on the chosen sheet. Runs in the job runner (functions/streams/job-runner.ts).
import * as keys from '../../db/keys.js';
import { batchGet } from '../../db/table.js';
import { scanUrl } from '../qr/service.js';
import type { LabelContent } from './label-plan.js';
import { renderLabelSheet } from './label-sheet.js';
import { labelLayouts, placeLabels } from './layouts.js';
import type { LabelSheetRequest } from './requests.js';

type Entity = Record<string, unknown>;

export interface MadeFile {
  bytes: Uint8Array;
  name: string;
  contentType: string;
  pages: number;
  processed: number;
  total: number;
}

const uniqueKeys = (list: { PK: string; SK: string }[]) => [...new Map(list.map((key) => [`${key.PK}|${key.SK}`, key])).values()];

export async function makeLabelSheets(workspaceId: string, request: LabelSheetRequest): Promise<MadeFile> {
  const targets = await batchGet<Entity>(uniqueKeys(request.targets.map(({ entity_type, id }) => keys.entity(workspaceId, entity_type, id))));
  const byKey = new Map(targets.map((entity) => [`${entity.entity}#${entity.id}`, entity]));
  // where each location and container is: a location's parent, a container's location
  const whereIds = targets.map((entity) => (entity.entity === 'LOCATION' ? entity.parent_location : entity.entity === 'CONTAINER' ? entity.location_id : undefined))
    .filter((id): id is string => typeof id === 'string');
  const places = new Map((await batchGet<Entity>(uniqueKeys(whereIds.map((id) => keys.entity(workspaceId, 'LOCATION', id))))).map((place) => [place.id, String(place.name)]));
  const labels: LabelContent[] = [];
  for (const { entity_type, id } of request.targets) {
    const entity = byKey.get(`${entity_type}#${id}`);
    // deleted since the request was checked: its label would open nothing
    if (!entity || typeof entity.short_code !== 'string') continue;
    const where = entity_type === 'LOCATION' ? entity.parent_location : entity_type === 'CONTAINER' ? entity.location_id : undefined;
    const parent = typeof where === 'string' ? places.get(where) : undefined;
    labels.push({ qrText: scanUrl(workspaceId, entity.short_code), name: String(entity.name ?? ''), shortCode: entity.short_code, ...(parent ? { parent } : {}) });
  }
  const layout = labelLayouts[request.layout];
  const options = { startPosition: request.start_position, copies: request.copies };
  const placed = placeLabels(layout, labels.length, options);
  const bytes = await renderLabelSheet({ layout: request.layout, labels, ...options, fields: request.fields, createdAt: new Date() });
  return {
    bytes, name: `labels-${request.layout.toLowerCase().replace(/_/g, '-')}.pdf`, contentType: 'application/pdf',
    pages: placed.length ? Math.max(...placed.map((label) => label.page)) + 1 : 1, processed: placed.length, total: placed.length,
  };
}
