// The insurance-report job: every active inventory row, location by location (a Query of each
// location's rows), with its item (brand, model, serial number, photo, papers) and category, the
// values summed per location, per category and per currency (never across currencies). Runs in
// the job runner (functions/streams/job-runner.ts); progress counts the rows written.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '../../aws/s3.js';
import { config } from '../../config.js';
import * as keys from '../../db/keys.js';
import { batchGet, getRecord } from '../../db/table.js';
import type { Page } from '../../db/table.js';
import type { CatalogRecord } from '../catalog/model.js';
import { listEntities, listLinked, type ListOptions } from '../catalog/repository.js';
import { attachmentDefinition } from '../attachments/model.js';
import { inventoryDefinition } from '../inventory/model.js';
import { locationDefinition } from '../locations/model.js';
import { logger } from '../../observability/telemetry.js';
import { renderInsuranceReport, type ReportAttachment, type ReportItem, type ReportLocation } from './insurance-report.js';
import type { MadeFile } from './label-job.js';
import type { Money } from './money.js';
import type { InsuranceReportRequest } from './requests.js';

type Entity = Record<string, unknown>;

/**
 * The report embeds photos as they are (no image library: a native one would not build here, and
 * a pure-JS resizer costs more than it saves). So a photo over 2 MiB is left out, and so is every
 * photo once 64 MiB are in: a report of hundreds of phone photos stays a file a mail can carry a
 * link to and the change feed's memory holds (`No photo` shows where one was left out).
 */
const largestThumbnail = 2 * 1024 * 1024;
const photoBudget = 64 * 1024 * 1024;
const documentKinds = new Set(['RECEIPT', 'WARRANTY', 'MANUAL']);

async function everyPage(list: (options: ListOptions) => Promise<Page<CatalogRecord>>): Promise<CatalogRecord[]> {
  const all: CatalogRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ includeArchived: false, limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

/**
 * A paper the report may list as proof: a verified file (READY), or a reference to a document kept
 * elsewhere (no file, so no status). An upload still PENDING may never arrive, and a REJECTED one's
 * file was deleted: listing either would promise the insurer a receipt nobody has.
 */
const isKept = (attachment: CatalogRecord) => attachment.status === undefined || attachment.status === 'READY';

const uniqueIds = (values: unknown[]) => [...new Set(values.filter((value): value is string => typeof value === 'string'))];

/** Adds an amount to a total per currency. */
function add(totals: Map<string, number>, currency: string, cents: number) {
  totals.set(currency, (totals.get(currency) ?? 0) + cents);
}
const asMoney = (totals: Map<string, number>): Money[] => [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, cents]) => ({ currency, cents }));

async function thumbnailOf(attachment: Entity | undefined): Promise<Uint8Array | undefined> {
  if (!attachment || attachment.status !== 'READY' || typeof attachment.object_key !== 'string') return undefined;
  if (!['image/jpeg', 'image/png'].includes(String(attachment.mime_type)) || Number(attachment.size_bytes) > largestThumbnail) return undefined;
  try {
    const object = await s3.send(new GetObjectCommand({
      Bucket: config.bucketName, Key: attachment.object_key, ...(typeof attachment.object_version === 'string' ? { VersionId: attachment.object_version } : {}),
    }));
    return await object.Body?.transformToByteArray();
  } catch (error) {
    // a photo that cannot be read leaves a gap in the report, not a failed report
    logger.warn('insurance report: photo unreadable', { key: attachment.object_key, error: error as Error });
    return undefined;
  }
}

export async function makeInsuranceReport(workspaceId: string, request: InsuranceReportRequest, progress: (processed: number, total: number) => Promise<void>): Promise<MadeFile> {
  const workspace = await getRecord<Entity>(keys.workspace(workspaceId));
  const wantedLocations = request.location_ids ? new Set(request.location_ids) : undefined;
  const wantedCategories = request.category_ids ? new Set(request.category_ids) : undefined;
  const locations = (await everyPage((options) => listEntities(locationDefinition, workspaceId, options))).filter((location) => !wantedLocations || wantedLocations.has(location.id));
  const rowLink = inventoryDefinition.links!.find((link) => link.field === 'location_id')!;
  const rowsByLocation = await Promise.all(locations.map((location) => everyPage((options) => listLinked(inventoryDefinition, rowLink, workspaceId, location.id, options))));
  const items = new Map((await batchGet<Entity>(uniqueIds(rowsByLocation.flat().map((row) => row.item_id)).map((id) => keys.entity(workspaceId, 'ITEM', id))))
    .map((item) => [String(item.id), item]));
  const keep = (row: CatalogRecord) => {
    const item = items.get(String(row.item_id));
    return item !== undefined && item.is_archived !== true && (!request.insured_only || item.is_insured === true)
      && (!wantedCategories || (typeof item.category_id === 'string' && wantedCategories.has(item.category_id)));
  };
  const kept = rowsByLocation.map((rows) => rows.filter(keep));
  const total = kept.reduce((sum, rows) => sum + rows.length, 0);
  await progress(0, total);
  const categories = new Map((await batchGet<Entity>(uniqueIds([...items.values()].map((item) => item.category_id)).map((id) => keys.entity(workspaceId, 'CATEGORY', id))))
    .map((category) => [String(category.id), String(category.name)]));
  const attachmentLink = attachmentDefinition.links![0]!;
  const papers = new Map<string, CatalogRecord[]>();

  const overall = new Map<string, number>();
  const byCategory = new Map<string, Map<string, number>>();
  const reportLocations: ReportLocation[] = [];
  let processed = 0;
  let photoBytes = 0;
  for (const [index, location] of locations.entries()) {
    // by the item's name, as a person reads a room's list (the index lists rows newest first)
    const rows = [...kept[index]!].sort((a, b) => String(items.get(String(a.item_id))!.name).localeCompare(String(items.get(String(b.item_id))!.name)));
    if (rows.length === 0) continue;
    const here = new Map<string, number>();
    const entries: ReportItem[] = [];
    for (const row of rows) {
      const item = items.get(String(row.item_id))!;
      const itemId = String(item.id);
      if (!papers.has(itemId)) papers.set(itemId, await everyPage((options) => listLinked(attachmentDefinition, attachmentLink, workspaceId, itemId, options)));
      const attached = papers.get(itemId)!;
      const quantity = Number(row.quantity ?? 1);
      const price = typeof row.purchase_price === 'number' && typeof row.currency_code === 'string' ? row.purchase_price * quantity : undefined;
      if (price !== undefined) {
        const currency = String(row.currency_code);
        add(here, currency, price);
        add(overall, currency, price);
        const category = categories.get(String(item.category_id)) ?? 'Uncategorised';
        if (!byCategory.has(category)) byCategory.set(category, new Map());
        add(byCategory.get(category)!, currency, price);
      }
      const primary = attached.find((attachment) => attachment.id === item.primary_attachment_id);
      const documents: ReportAttachment[] = attached.filter((attachment) => documentKinds.has(String(attachment.attachment_type)) && isKept(attachment))
        .map((attachment) => ({ title: String(attachment.title ?? attachment.file_name ?? attachment.attachment_type), kind: attachment.attachment_type as ReportAttachment['kind'] }));
      const thumbnail = photoBytes + Number(primary?.size_bytes ?? 0) <= photoBudget ? await thumbnailOf(primary) : undefined;
      photoBytes += thumbnail?.byteLength ?? 0;
      const warranty = item.lifetime_warranty === true ? 'lifetime' : typeof row.warranty_expires === 'string' ? row.warranty_expires : undefined;
      entries.push({
        name: quantity > 1 ? `${String(item.name)} × ${quantity}` : String(item.name),
        brand: item.brand as string | undefined, model: item.model as string | undefined, serialNumber: item.serial_number as string | undefined,
        purchaseDate: row.date_acquired as string | undefined, priceCents: price, currency: row.currency_code as string | undefined,
        warrantyUntil: warranty, thumbnail, attachments: documents,
      });
      processed += 1;
    }
    reportLocations.push({ name: location.name as string, totals: asMoney(here), items: entries });
    await progress(processed, total);
  }
  const bytes = await renderInsuranceReport({
    workspaceName: String(workspace?.name ?? 'Home'), generatedAt: new Date(), currencyTotals: asMoney(overall), locations: reportLocations,
    categoryTotals: [...byCategory].sort(([a], [b]) => a.localeCompare(b)).map(([name, totals]) => ({ name, totals: asMoney(totals) })),
  });
  return { bytes, name: 'insurance-report.pdf', contentType: 'application/pdf', pages: pageCount(bytes), processed, total };
}

/** Pages of a PDF pdfkit wrote: its page tree's `/Count`. */
function pageCount(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString('latin1');
  const counts = [...text.matchAll(/\/Type \/Pages\s*\/Count (\d+)/g)].map((match) => Number(match[1]));
  return counts.length ? Math.max(...counts) : 1;
}
