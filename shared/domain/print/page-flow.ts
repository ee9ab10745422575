// Text flowing down A4 pages inside fixed margins: the caller asks for the room a block needs
// before drawing it, and a block that does not fit the rest of a page starts the next one. Every
// line is cut to its width here (text-fit.ts), so nothing drawn through a flow leaves the margins.
import type { FontName } from './fonts.js';
import { mm, type Box } from './layouts.js';
import type { TextMeasure } from './pdf-document.js';
import { ellipsize, wrapText } from './text-fit.js';

export const a4: [number, number] = [mm(210), mm(297)];

export interface TextStyle {
  font: FontName;
  size: number;
  color?: string;
}

export interface Flow {
  doc: PDFKit.PDFDocument;
  measure: TextMeasure;
  /** where content may go on every page */
  area: Box;
  /** the top of the next block */
  y: number;
  /** drawn at the top of each page the flow starts (a section's heading, "continued") */
  onNewPage?: (() => void) | undefined;
}

export function newPage(flow: Flow): void {
  flow.doc.addPage({ size: a4, margin: 0 });
  flow.y = flow.area.y;
  flow.onNewPage?.();
}

/** Makes sure `height` fits below the cursor, on a new page when it does not. */
export function ensureRoom(flow: Flow, height: number): void {
  if (flow.y + height > flow.area.y + flow.area.height) newPage(flow);
}

export const lineHeight = (flow: Flow, style: TextStyle): number => flow.measure.lineHeight(style.font, style.size) * 1.15;

/** One line at (x, y), cut with an ellipsis to `width`; aligned right means its right edge is x + width. */
export function drawLine(flow: Flow, text: string, style: TextStyle, x: number, y: number, width: number, align: 'left' | 'right' = 'left'): void {
  const fitted = ellipsize(text, width, (part) => flow.measure.width(part, style.font, style.size));
  if (fitted === '') return;
  const offset = align === 'right' ? width - flow.measure.width(fitted, style.font, style.size) : 0;
  flow.doc.font(style.font).fontSize(style.size).fillColor(style.color ?? '#000000').text(fitted, x + offset, y, { lineBreak: false });
}

/** `text` wrapped to `width` in at most `maxLines` lines. */
export function linesOf(flow: Flow, text: string, style: TextStyle, width: number, maxLines = Infinity): string[] {
  return wrapText(text, width, (part) => flow.measure.width(part, style.font, style.size), maxLines).lines;
}

/** A wrapped paragraph at the cursor, moved to a new page first when it does not fit; the cursor moves below it. */
export function paragraph(flow: Flow, text: string, style: TextStyle, maxLines = Infinity, after = 0): void {
  const height = lineHeight(flow, style);
  const lines = linesOf(flow, text, style, flow.area.width, Math.min(maxLines, Math.floor(flow.area.height / height)));
  ensureRoom(flow, lines.length * height);
  for (const line of lines) {
    drawLine(flow, line, style, flow.area.x, flow.y, flow.area.width);
    flow.y += height;
  }
  flow.y += after;
}

/** A thin rule across the content area at the cursor. */
export function rule(flow: Flow, color = '#999999'): void {
  flow.doc.moveTo(flow.area.x, flow.y).lineTo(flow.area.x + flow.area.width, flow.y).lineWidth(0.5).strokeColor(color).stroke();
}
