// The inventory an insurer asks for after a fire or a theft, as a PDF: a cover page with the
// value per currency, then every item room by room with its photo, what identifies it (brand,
// model, serial number), when it was bought and for how much, its warranty and the papers that
// prove it; a total per room and a table of totals per category at the end. Amounts in different
// currencies are listed side by side, never added up. Plain data in, bytes out: the caller reads
// the workspace and the thumbnails.
import { mm } from './layouts.js';
import { formatMoney, formatTotals, type Money } from './money.js';
import { a4, drawLine, ensureRoom, lineHeight, linesOf, newPage, paragraph, rule, type Flow, type TextStyle } from './page-flow.js';
import { createPdf, textMeasure } from './pdf-document.js';

export type { Money } from './money.js';

export interface ReportAttachment {
  title: string;
  kind: 'RECEIPT' | 'WARRANTY' | 'MANUAL' | 'OTHER';
}

export interface ReportItem {
  name: string;
  brand?: string | undefined;
  model?: string | undefined;
  serialNumber?: string | undefined;
  /** YYYY-MM-DD */
  purchaseDate?: string | undefined;
  priceCents?: number | undefined;
  currency?: string | undefined;
  /** YYYY-MM-DD */
  warrantyUntil?: string | undefined;
  /** a JPEG or PNG: the primary photo, small (it is embedded as given) */
  thumbnail?: Uint8Array | undefined;
  attachments: readonly ReportAttachment[];
}

export interface ReportLocation {
  name: string;
  totals: readonly Money[];
  items: readonly ReportItem[];
}

export interface InsuranceReportInput {
  workspaceName: string;
  generatedAt: Date;
  currencyTotals: readonly Money[];
  locations: readonly ReportLocation[];
  categoryTotals: readonly { name: string; totals: readonly Money[] }[];
  /** how amounts and the date are written; English by default */
  locale?: string | undefined;
}

const styles = {
  title: { font: 'bold', size: 24 },
  subtitle: { font: 'regular', size: 15 },
  heading: { font: 'bold', size: 14 },
  itemName: { font: 'bold', size: 10.5 },
  body: { font: 'regular', size: 9 },
  strong: { font: 'bold', size: 9 },
  label: { font: 'regular', size: 8, color: '#555555' },
  footer: { font: 'regular', size: 7.5, color: '#555555' },
} satisfies Record<string, TextStyle>;

const thumbnailSide = mm(28);
const gutter = mm(5);
const labelColumn = mm(30);
/** Papers listed per item; more are counted. Keeps every entry well inside one page. */
const attachmentsShown = 8;
const kindNames: Record<ReportAttachment['kind'], string> = { RECEIPT: 'Receipt', WARRANTY: 'Warranty', MANUAL: 'Manual', OTHER: 'Document' };

function when(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';
}

function cover(flow: Flow, input: InsuranceReportInput, locale: string): void {
  const itemCount = input.locations.reduce((sum, location) => sum + location.items.length, 0);
  const unpriced = input.locations.reduce((sum, location) => sum + location.items.filter((item) => item.priceCents === undefined || !item.currency).length, 0);
  flow.y = flow.area.y + mm(40);
  paragraph(flow, 'Home inventory for insurance', styles.title, 2, mm(4));
  paragraph(flow, input.workspaceName, styles.subtitle, 3, mm(2));
  paragraph(flow, `Generated ${when(input.generatedAt, locale)}`, styles.label, 1, mm(14));
  paragraph(flow, `${itemCount} ${itemCount === 1 ? 'item' : 'items'} in ${input.locations.length} ${input.locations.length === 1 ? 'location' : 'locations'}`, styles.body, 1, mm(8));

  paragraph(flow, 'Total value', styles.heading, 1, mm(2));
  const row = lineHeight(flow, styles.body) + mm(1.5);
  for (const total of input.currencyTotals) {
    ensureRoom(flow, row);
    drawLine(flow, total.currency, styles.body, flow.area.x, flow.y, mm(40));
    drawLine(flow, formatMoney(total.cents, total.currency, locale), styles.strong, flow.area.x + mm(40), flow.y, mm(60), 'right');
    flow.y += row;
  }
  if (input.currencyTotals.length === 0) paragraph(flow, 'No item has a price.', styles.body, 1);
  flow.y += mm(4);
  paragraph(flow, 'Each currency is totalled on its own; amounts in different currencies are not added together.', styles.label, 2);
  if (unpriced > 0) paragraph(flow, `${unpriced} ${unpriced === 1 ? 'item has' : 'items have'} no price and ${unpriced === 1 ? 'is' : 'are'} not counted in these totals.`, styles.label, 2);
}

interface EntryLine {
  label?: string;
  text: string;
  style: TextStyle;
}

/** The lines beside an item's photo, cut to the column: nothing of an entry is drawn outside it. */
function entryLines(flow: Flow, item: ReportItem, width: number, locale: string): EntryLine[] {
  const lines: EntryLine[] = linesOf(flow, item.name, styles.itemName, width, 2).map((text) => ({ text, style: styles.itemName }));
  const fields: [string, string | undefined][] = [
    ['Brand', item.brand],
    ['Model', item.model],
    ['Serial number', item.serialNumber],
    ['Purchased', item.purchaseDate],
    ['Price', item.priceCents !== undefined && item.currency ? formatMoney(item.priceCents, item.currency, locale) : undefined],
    ['Warranty until', item.warrantyUntil],
  ];
  for (const [label, value] of fields) if (value) lines.push({ label, text: value, style: styles.body });
  item.attachments.slice(0, attachmentsShown).forEach((attachment, index) => {
    lines.push({ ...(index === 0 ? { label: 'Documents' } : {}), text: `${kindNames[attachment.kind]}: ${attachment.title}`, style: styles.body });
  });
  const more = item.attachments.length - attachmentsShown;
  if (more > 0) lines.push({ text: `and ${more} more`, style: styles.label });
  return lines;
}

function drawThumbnail(flow: Flow, thumbnail: Uint8Array | undefined, x: number, y: number): void {
  const { doc } = flow;
  if (thumbnail) {
    try {
      doc.image(Buffer.from(thumbnail.buffer, thumbnail.byteOffset, thumbnail.byteLength), x, y, { fit: [thumbnailSide, thumbnailSide], align: 'center', valign: 'center' });
      return;
    } catch {
      // not a JPEG or PNG pdfkit can read: the entry says so instead of failing the report
    }
  }
  doc.rect(x, y, thumbnailSide, thumbnailSide).lineWidth(0.5).strokeColor('#bbbbbb').stroke();
  const label = thumbnail ? 'Photo unreadable' : 'No photo';
  const labelWidth = flow.measure.width(label, styles.label.font, styles.label.size);
  drawLine(flow, label, styles.label, x + Math.max(mm(1), (thumbnailSide - labelWidth) / 2), y + thumbnailSide / 2 - styles.label.size / 2, thumbnailSide - mm(2));
}

function itemEntry(flow: Flow, item: ReportItem, locale: string): void {
  const textX = flow.area.x + thumbnailSide + gutter;
  const textWidth = flow.area.x + flow.area.width - textX;
  const lines = entryLines(flow, item, textWidth, locale);
  const textHeight = lines.reduce((sum, line) => sum + lineHeight(flow, line.style), 0);
  const height = Math.max(thumbnailSide, textHeight) + mm(4);
  ensureRoom(flow, height);
  const top = flow.y + mm(2);
  drawThumbnail(flow, item.thumbnail, flow.area.x, top);
  let y = top;
  for (const line of lines) {
    if (line.label === undefined && line.style === styles.itemName) {
      drawLine(flow, line.text, line.style, textX, y, textWidth);
    } else {
      if (line.label) drawLine(flow, line.label, styles.label, textX, y + 0.5, labelColumn - mm(2));
      drawLine(flow, line.text, line.style, textX + labelColumn, y, textWidth - labelColumn);
    }
    y += lineHeight(flow, line.style);
  }
  flow.y += height;
  rule(flow, '#dddddd');
}

function locationSection(flow: Flow, location: ReportLocation, locale: string): void {
  const heading = (suffix: string) => {
    paragraph(flow, `${location.name}${suffix}`, styles.heading, 2, mm(1));
    rule(flow);
  };
  // a heading with no entry under it would be left alone at a page's foot
  ensureRoom(flow, lineHeight(flow, styles.heading) * 2 + thumbnailSide + mm(8));
  heading('');
  flow.onNewPage = () => heading(' (continued)');
  if (location.items.length === 0) paragraph(flow, 'No items.', styles.label, 1, mm(2));
  for (const item of location.items) itemEntry(flow, item, locale);
  flow.y += mm(2);
  const total = `Total for ${location.name}: ${location.totals.length > 0 ? formatTotals(location.totals, locale) : 'no prices'}`;
  paragraph(flow, total, styles.strong, 3, mm(8));
  flow.onNewPage = undefined;
}

function categoryTable(flow: Flow, categories: InsuranceReportInput['categoryTotals'], locale: string): void {
  const nameWidth = flow.area.width * 0.55;
  const amountX = flow.area.x + nameWidth;
  const amountWidth = flow.area.width - nameWidth;
  const header = (suffix: string) => {
    paragraph(flow, `Value by category${suffix}`, styles.heading, 1, mm(2));
    rule(flow);
    flow.y += mm(1);
  };
  ensureRoom(flow, lineHeight(flow, styles.heading) * 3);
  header('');
  flow.onNewPage = () => header(' (continued)');
  const row = lineHeight(flow, styles.body);
  for (const category of categories) {
    const amounts = category.totals.length > 0 ? category.totals.map((total) => formatMoney(total.cents, total.currency, locale)) : ['no prices'];
    const height = Math.min(amounts.length, 20) * row + mm(1.5);
    ensureRoom(flow, height);
    drawLine(flow, category.name, styles.body, flow.area.x, flow.y, nameWidth - mm(4));
    amounts.slice(0, 20).forEach((amount, index) => drawLine(flow, amount, styles.strong, amountX, flow.y + index * row, amountWidth, 'right'));
    flow.y += height;
  }
  if (categories.length === 0) paragraph(flow, 'No categories.', styles.label, 1);
  flow.onNewPage = undefined;
}

/** Page numbers at every page's foot, below the content area, once the page count is known. */
function footers(flow: Flow, workspaceName: string): void {
  const { doc } = flow;
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index += 1) {
    doc.switchToPage(range.start + index);
    const y = flow.area.y + flow.area.height + mm(4);
    const pageText = `Page ${index + 1} of ${range.count}`;
    const pageWidth = flow.measure.width(pageText, styles.footer.font, styles.footer.size);
    drawLine(flow, `${workspaceName} · inventory for insurance`, styles.footer, flow.area.x, y, flow.area.width - pageWidth - mm(6));
    drawLine(flow, pageText, styles.footer, flow.area.x, y, flow.area.width, 'right');
  }
}

export async function renderInsuranceReport(input: InsuranceReportInput): Promise<Uint8Array> {
  const locale = input.locale ?? 'en';
  const { doc, finish } = createPdf({ title: `Home inventory for insurance: ${input.workspaceName}`, createdAt: input.generatedAt, size: a4, bufferPages: true });
  const margin = mm(18);
  const flow: Flow = {
    doc,
    measure: textMeasure(doc),
    // the foot of each page keeps room for its page number
    area: { x: margin, y: margin, width: a4[0] - 2 * margin, height: a4[1] - 2 * margin - mm(8) },
    y: margin,
  };
  cover(flow, input, locale);
  newPage(flow);
  for (const location of input.locations) locationSection(flow, location, locale);
  categoryTable(flow, input.categoryTotals, locale);
  footers(flow, input.workspaceName);
  return finish();
}
