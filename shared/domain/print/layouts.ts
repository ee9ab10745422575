// The label stock labels print on, as the makers publish it: sheet, label size, where the first
// label sits and the pitch from one label to the next (label plus gap). Measures are written in
// the units the makers use (mm; inches for the US sheet) and kept in PDF points (1/72 inch).
// Positions count as the makers number them: left to right, then down, from 1. The layouts'
// names are the contract's (shared/contract/print.ts).
import { labelLayoutIds } from '../../contract/print.js';

const pointsPerMm = 72 / 25.4;
export const mm = (millimetres: number): number => millimetres * pointsPerMm;
const inches = (value: number): number => value * 72;

/** A rectangle in points, from the page's top-left corner (pdfkit's coordinates). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export { labelLayoutIds };
export type LabelLayoutId = (typeof labelLayoutIds)[number];

export interface LabelLayout {
  id: LabelLayoutId;
  description: string;
  page: { width: number; height: number };
  columns: number;
  rows: number;
  label: { width: number; height: number };
  /** the top-left corner of position 1 */
  first: { x: number; y: number };
  /** from one label's corner to the next one's, across and down */
  pitch: { x: number; y: number };
  /**
   * How far ink stays from a label's edges: a sheet may sit a millimetre off in the printer and
   * the die-cut a little off on the sheet; a thermal printer cannot print its label's very edge.
   */
  inset: { x: number; y: number };
}

export const labelLayouts: Record<LabelLayoutId, LabelLayout> = {
  // Avery L7160 (and its Label Planet twin LP21/63): A4, 3 × 7, 63.5 × 38.1 mm, top margin
  // 15.15 mm, horizontal pitch 66 mm (2.5 mm gaps), no gap between rows, the grid centred across.
  AVERY_L7160: {
    id: 'AVERY_L7160', description: 'Avery L7160, A4, 21 labels of 63.5 × 38.1 mm',
    page: { width: mm(210), height: mm(297) }, columns: 3, rows: 7,
    label: { width: mm(63.5), height: mm(38.1) },
    first: { x: mm(7.25), y: mm(15.15) }, pitch: { x: mm(66), y: mm(38.1) },
    inset: { x: mm(2), y: mm(2) },
  },
  // Avery 5160: US Letter, 3 × 10, 2⅝ × 1 in, top margin ½ in, side margin 3/16 in, horizontal
  // pitch 2¾ in (⅛ in gaps), no gap between rows.
  AVERY_5160: {
    id: 'AVERY_5160', description: 'Avery 5160, US Letter, 30 labels of 2⅝ × 1 in',
    page: { width: inches(8.5), height: inches(11) }, columns: 3, rows: 10,
    label: { width: inches(2.625), height: inches(1) },
    first: { x: inches(0.1875), y: inches(0.5) }, pitch: { x: inches(2.75), y: inches(1) },
    inset: { x: mm(1.5), y: mm(1.5) },
  },
  // Avery L7651 (Label Planet LP65/38): A4, 5 × 13, 38.1 × 21.2 mm, top margin 10.7 mm, side
  // margin 4.75 mm, horizontal pitch 40.6 mm (2.5 mm gaps), no gap between rows.
  AVERY_L7651: {
    id: 'AVERY_L7651', description: 'Avery L7651, A4, 65 mini labels of 38.1 × 21.2 mm',
    page: { width: mm(210), height: mm(297) }, columns: 5, rows: 13,
    label: { width: mm(38.1), height: mm(21.2) },
    first: { x: mm(4.75), y: mm(10.7) }, pitch: { x: mm(40.6), y: mm(21.2) },
    inset: { x: mm(1.5), y: mm(1.5) },
  },
  // Brother DK-11209, one die-cut 62 × 29 mm label per page, 62 mm across the print head. The
  // printer prints 696 × 271 of the label's 732 × 341 dots at 300 dpi: about 1.5 mm stays blank
  // at each side and 3 mm at the leading and trailing edges.
  BROTHER_QL_62X29: {
    id: 'BROTHER_QL_62X29', description: 'Brother QL, one 62 × 29 mm label (DK-11209)',
    page: { width: mm(62), height: mm(29) }, columns: 1, rows: 1,
    label: { width: mm(62), height: mm(29) },
    first: { x: 0, y: 0 }, pitch: { x: mm(62), y: mm(29) },
    inset: { x: mm(1.6), y: mm(3.05) },
  },
};

export const labelsPerSheet = (layout: LabelLayout): number => layout.columns * layout.rows;

/** The box of the label at `position` (1-based) of a sheet. */
export function labelBox(layout: LabelLayout, position: number): Box {
  const index = position - 1;
  const column = index % layout.columns;
  const row = Math.floor(index / layout.columns);
  return {
    x: layout.first.x + column * layout.pitch.x,
    y: layout.first.y + row * layout.pitch.y,
    width: layout.label.width,
    height: layout.label.height,
  };
}

/** Where ink may go on a label in `box`. */
export function printableBox(layout: LabelLayout, box: Box): Box {
  return {
    x: box.x + layout.inset.x,
    y: box.y + layout.inset.y,
    width: box.width - 2 * layout.inset.x,
    height: box.height - 2 * layout.inset.y,
  };
}

export interface PlacedLabel {
  /** which of the given labels */
  label: number;
  /** 0-based page of the document */
  page: number;
  /** 1-based position on that page's sheet */
  position: number;
  box: Box;
}

export interface Placement {
  /** 1-based: the first positions of the first sheet are skipped, so a half-used sheet is used up */
  startPosition?: number | undefined;
  /** how many of each label, side by side */
  copies?: number | undefined;
}

/** Where `count` labels go, each `copies` times in a row, from `startPosition` of the first sheet on. */
export function placeLabels(layout: LabelLayout, count: number, { startPosition = 1, copies = 1 }: Placement = {}): PlacedLabel[] {
  const perSheet = labelsPerSheet(layout);
  if (!Number.isInteger(startPosition) || startPosition < 1 || startPosition > perSheet) {
    throw new RangeError(`startPosition must be a whole number from 1 to ${perSheet} on ${layout.id}`);
  }
  if (!Number.isInteger(copies) || copies < 1) throw new RangeError('copies must be a whole number from 1');
  const placed: PlacedLabel[] = [];
  for (let slot = startPosition - 1, label = 0; label < count; label += 1) {
    for (let copy = 0; copy < copies; copy += 1, slot += 1) {
      const position = (slot % perSheet) + 1;
      placed.push({ label, page: Math.floor(slot / perSheet), position, box: labelBox(layout, position) });
    }
  }
  return placed;
}
