// The QR matrix of a text, from the core of the `qrcode` package (no renderer: see png.ts, svg.ts).
import { create } from 'qrcode/lib/core/qrcode.js';

export interface QrMatrix {
  /** modules per side, without the quiet zone */
  size: number;
  dark(row: number, col: number): boolean;
}

/** Modules of light margin on every side, as ISO/IEC 18004 asks (scanners find the code by it). */
export const quietZone = 4;

/**
 * Error correction M (15% of the code may be unreadable): a printed label survives a scratch, and
 * a link of ~70 characters still fits version 5 (37 modules), readable from a phone at label size.
 */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (row, col) => modules.data[row * modules.size + col] === 1 };
}

/**
 * Where the code sits in a square image of `size` pixels: a whole number of pixels per module
 * (sharp edges), the code and its quiet zone centred. When `size` cannot show every module with a
 * pixel of its own, the image grows to the smallest that can.
 */
export function layout(matrix: QrMatrix, size: number): { side: number; scale: number; offset: number } {
  const modules = matrix.size + 2 * quietZone;
  const scale = Math.max(1, Math.floor(size / modules));
  const side = Math.max(size, modules * scale);
  return { side, scale, offset: Math.floor((side - modules * scale) / 2) + quietZone * scale };
}
