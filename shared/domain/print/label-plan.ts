// What goes where on one label, worked out before anything is drawn, so the whole of a label's
// content can be checked against its box: the QR code at the left, as large as the label allows
// up to a size any phone reads from arm's length, and beside it the name (shrunk, then wrapped,
// then cut with an ellipsis), the parent location on one line, and the short code in large bold.
import { qrMatrix, quietZone, type QrMatrix } from '../qr/matrix.js';
import type { FontName } from './fonts.js';
import { printableBox, type Box, type LabelLayout } from './layouts.js';
import type { TextMeasure } from './pdf-document.js';
import { ellipsize, wrapText } from './text-fit.js';
import { labelFields } from '../../contract/print.js';

export { labelFields };
export type LabelField = (typeof labelFields)[number];

export interface LabelContent {
  /** what the QR code encodes: the thing's scan link */
  qrText: string;
  name: string;
  shortCode: string;
  /** the location a container or location sits in */
  parent?: string | undefined;
}

export interface PlannedText {
  text: string;
  font: FontName;
  size: number;
  /** the top-left corner of the line (its ascender line) */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlannedQr {
  matrix: QrMatrix;
  /** the top-left corner of the first module; the quiet zone lies around it */
  x: number;
  y: number;
  module: number;
}

export interface LabelPlan {
  qr?: PlannedQr;
  texts: PlannedText[];
}

const points = (millimetres: number) => (millimetres * 72) / 25.4;
/** Modules snap to whole dots of a 300 dpi printer (and so of 600 dpi ones): crisp, even squares. */
const dot = 72 / 300;
/** Large enough for a phone at 20–30 cm; more would take the name's room on large labels. */
const largestModule = points(0.6);
/** ISO/IEC 18004 readers and phone cameras struggle below this; a text that long is refused. */
export const smallestModule = points(0.25);
const sizeStep = 0.5;

/** Type sizes from the height ink may take: the short code largest, the parent smallest. */
function typeSizes(inkHeight: number) {
  return {
    code: { largest: Math.min(18, inkHeight * 0.3), smallest: 6 },
    name: { largest: Math.min(12, inkHeight * 0.2), smallest: 5 },
    parent: Math.min(8, Math.max(5, inkHeight * 0.12)),
  };
}

function planQr(text: string, box: Box, ink: Box, alone: boolean): PlannedQr {
  const matrix = qrMatrix(text);
  const modules = matrix.size;
  // the quiet zone may reach into the inset (it is blank anyway), the dark modules may not
  const fitting = Math.min(box.height / (modules + 2 * quietZone), ink.height / modules, ink.width / modules);
  const module = Math.floor(Math.min(fitting, alone ? Infinity : largestModule) / dot) * dot;
  if (module < smallestModule) throw new RangeError(`A QR code of ${text.length} characters is too dense for a label of this size`);
  const side = modules * module;
  const x = alone ? box.x + (box.width - side) / 2 : Math.max(ink.x, box.x + quietZone * module);
  return { matrix, x, y: box.y + (box.height - side) / 2, module };
}

/** The largest size from `largest` down to `smallest` at which `text` is no wider than `width`. */
function sizeToWidth(text: string, font: FontName, width: number, range: { largest: number; smallest: number }, measure: TextMeasure): number {
  const scaled = (range.largest * width) / Math.max(measure.width(text, font, range.largest), 1e-9);
  let size = Math.max(range.smallest, Math.floor(Math.min(range.largest, scaled) / sizeStep) * sizeStep);
  while (size > range.smallest && measure.width(text, font, size) > width) size -= sizeStep;
  return size;
}

function line(text: string, font: FontName, size: number, x: number, measure: TextMeasure): PlannedText {
  return { text, font, size, x, y: 0, width: measure.width(text, font, size), height: measure.lineHeight(font, size) };
}

/**
 * The name at the largest size at which all of it fits `height` with no word broken; at the
 * smallest size, what fits, words broken where they must be, with an ellipsis.
 */
function nameLines(name: string, x: number, width: number, height: number, range: { largest: number; smallest: number }, measure: TextMeasure): PlannedText[] {
  const words = name.split(/\s+/u);
  for (let size = range.largest; ; size = Math.max(range.smallest, size - sizeStep)) {
    const widthOf = (text: string) => measure.width(text, 'regular', size);
    const last = size <= range.smallest;
    if (!last && words.some((word) => widthOf(word) > width)) continue;
    const { lines, complete } = wrapText(name, width, widthOf, Math.floor(height / measure.lineHeight('regular', size)));
    if (complete || last) return lines.map((text) => line(text, 'regular', size, x, measure));
  }
}

/** Where everything of one label goes inside `box`, with only the `fields` asked for. */
export function planLabel(layout: LabelLayout, box: Box, content: LabelContent, fields: ReadonlySet<LabelField>, measure: TextMeasure): LabelPlan {
  const ink = printableBox(layout, box);
  const withText = fields.has('name') || fields.has('short_code') || (fields.has('parent') && !!content.parent);
  const qr = fields.has('qr') ? planQr(content.qrText, box, ink, !withText) : undefined;
  if (!withText) return qr ? { qr, texts: [] } : { texts: [] };

  const left = qr ? qr.x + (qr.matrix.size + quietZone) * qr.module : ink.x;
  const width = ink.x + ink.width - left;
  const sizes = typeSizes(ink.height);

  const code: PlannedText[] = [];
  if (fields.has('short_code') && content.shortCode !== '') {
    const size = sizeToWidth(content.shortCode, 'bold', width, sizes.code, measure);
    const text = ellipsize(content.shortCode, width, (part) => measure.width(part, 'bold', size));
    if (text !== '') code.push(line(text, 'bold', size, left, measure));
  }
  const gap = (lines: PlannedText[]) => (lines[0] ? lines[0].size * 0.3 : 0);
  const heightOf = (lines: PlannedText[]) => lines.reduce((sum, planned) => sum + planned.height, 0);

  const parentLine = (size: number): PlannedText[] => {
    if (!fields.has('parent') || !content.parent) return [];
    const text = ellipsize(content.parent, width, (part) => measure.width(part, 'regular', size));
    return text === '' ? [] : [line(text, 'regular', size, left, measure)];
  };
  let parent = parentLine(sizes.parent);
  let name: PlannedText[] = [];
  if (fields.has('name') && content.name.trim() !== '') {
    const room = () => ink.height - heightOf(code) - gap(code) - heightOf(parent) - gap(parent);
    // never above the short code, which is what people read off a shelf
    const range = { ...sizes.name, largest: Math.max(sizes.name.smallest, Math.min(sizes.name.largest, code[0]?.size ?? Infinity)) };
    name = nameLines(content.name, left, width, room(), range, measure);
    // the name matters more than where the thing sits
    if (name.length === 0 && parent.length > 0) {
      parent = [];
      name = nameLines(content.name, left, width, room(), range, measure);
    }
    // a smaller parent only frees room, so the name still fits
    if (name[0] && parent[0] && parent[0].size > name[0].size) parent = parentLine(name[0].size);
  }

  const stackHeight = (blocks: PlannedText[][]) => blocks.reduce((sum, lines, index) => sum + heightOf(lines) + (index > 0 ? gap(lines) : 0), 0);
  let blocks = [name, parent, code].filter((lines) => lines.length > 0);
  // only a label too small for any name gets here: the short code alone is what it can carry
  if (stackHeight(blocks) > ink.height) blocks = [code];
  const total = stackHeight(blocks);
  let y = ink.y + Math.max(0, (ink.height - total) / 2);
  const texts: PlannedText[] = [];
  blocks.forEach((lines, index) => {
    if (index > 0) y += gap(lines);
    for (const planned of lines) {
      texts.push({ ...planned, y });
      y += planned.height;
    }
  });
  return qr ? { qr, texts } : { texts };
}
