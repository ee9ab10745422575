// A PDF of labels for a label sheet or a label printer: each label's QR code as vector squares
// (sharp at any printer resolution) beside its name, parent location and short code (see
// label-plan.ts). Each label is drawn clipped to its own box, so even a glyph taller than its
// font's ascender cannot mark the next label.
import type { QrMatrix } from '../qr/matrix.js';
import { labelFields, planLabel, type LabelContent, type LabelField, type PlannedQr } from './label-plan.js';
import { labelLayouts, placeLabels, type LabelLayoutId } from './layouts.js';
import { createPdf, textMeasure } from './pdf-document.js';

export interface LabelSheetInput {
  layout: LabelLayoutId;
  labels: readonly LabelContent[];
  /** 1-based position on the first sheet to start at (a half-used sheet); 1 by default */
  startPosition?: number | undefined;
  /** how many of each label, side by side; 1 by default */
  copies?: number | undefined;
  /** what each label shows; all of it by default */
  fields?: readonly LabelField[] | undefined;
  /** the PDF's creation date; fixed by default, so the same input gives the same bytes */
  createdAt?: Date | undefined;
}

/** Dark modules of a row run into one rectangle each: fewer operators, and no hairline seams between neighbours. */
function darkRuns(matrix: QrMatrix): { row: number; col: number; length: number }[] {
  const runs: { row: number; col: number; length: number }[] = [];
  for (let row = 0; row < matrix.size; row += 1) {
    for (let col = 0; col < matrix.size; col += 1) {
      if (!matrix.dark(row, col)) continue;
      const start = col;
      while (col + 1 < matrix.size && matrix.dark(row, col + 1)) col += 1;
      runs.push({ row, col: start, length: col - start + 1 });
    }
  }
  return runs;
}

function drawQr(doc: PDFKit.PDFDocument, qr: PlannedQr): void {
  for (const run of darkRuns(qr.matrix)) doc.rect(qr.x + run.col * qr.module, qr.y + run.row * qr.module, run.length * qr.module, qr.module);
  doc.fill('#000000');
}

export async function renderLabelSheet(input: LabelSheetInput): Promise<Uint8Array> {
  const layout = labelLayouts[input.layout];
  const fields = new Set<LabelField>(input.fields ?? labelFields);
  const placed = placeLabels(layout, input.labels.length, { startPosition: input.startPosition, copies: input.copies });
  const pageSize: [number, number] = [layout.page.width, layout.page.height];
  const { doc, finish } = createPdf({ title: 'Labels', createdAt: input.createdAt ?? new Date(0), size: pageSize });
  const measure = textMeasure(doc);
  // every label of a layout has the same size: planned once at the origin, drawn where it sits
  const origin = { x: 0, y: 0, width: layout.label.width, height: layout.label.height };
  const plans = input.labels.map((label) => planLabel(layout, origin, label, fields, measure));
  let page = 0;
  for (const { label, page: labelPage, box } of placed) {
    for (; page < labelPage; page += 1) doc.addPage({ size: pageSize, margin: 0 });
    const plan = plans[label]!;
    doc.save();
    doc.rect(box.x, box.y, box.width, box.height).clip();
    doc.translate(box.x, box.y);
    if (plan.qr) drawQr(doc, plan.qr);
    for (const text of plan.texts) {
      doc.font(text.font).fontSize(text.size).fillColor('#000000').text(text.text, text.x, text.y, { lineBreak: false });
    }
    doc.restore();
  }
  return finish();
}
